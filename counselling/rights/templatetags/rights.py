"""The "Her rights" panel of her client page: `{% load rights %}{% rights_panel client %}`."""

from django import template

from counselling.rights import selectors

register = template.Library()


@register.inclusion_tag("rights/_panel.html", takes_context=True)
def rights_panel(context, client):
    user = context["request"].user
    return {
        "client": client,
        "exports": selectors.exports_of_client(user=user, client=client),
        "rights_requests": selectors.requests_of_client(user=user, client=client),
    }
