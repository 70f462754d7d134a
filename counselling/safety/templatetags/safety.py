"""`{% safety_banner client %}`: her safe-contact rules at the top of every screen
where someone may contact her (case page, client page, the session, key-date
and referral forms, the reminder that leads to her case)."""

from django import template

from counselling.safety.selectors import banner_for

register = template.Library()


@register.inclusion_tag("safety/_banner.html", takes_context=True)
def safety_banner(context, client, compact=False):
    request = context["request"]
    banner = banner_for(user=request.user, client=client)
    return {
        "banner": banner,
        "client": client,
        "compact": compact,
        "can_edit": context.get("can_write", False),
    }
