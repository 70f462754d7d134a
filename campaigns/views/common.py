"""What the campaigns screens share. Thin views: they read through
campaigns.selectors and ngo.access (detail reads are audited there), write
through the services, and re-render the form on a ValidationError."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ngo.access.views import capability_required
from ngo.accounts.roles import Capability
from ngo.lib.forms import add_service_errors

AREA = "campaigns"
PAGE_SIZE = 30

reads_campaigns = capability_required(Capability.READ_CAMPAIGNS, area=AREA)


def writer(user) -> bool:
    return user.can(Capability.WRITE_CAMPAIGNS)


def copy_of(obj):
    """Bind an edit form to a copy: the service compares against the record."""
    return copy.copy(obj)


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def child_form_view(request, *, campaign, form, save, title, anchor):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("campaigns:campaign_detail", args=[campaign.pk]) + anchor)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": title,
            "campaign": campaign,
            "cancel": reverse("campaigns:campaign_detail", args=[campaign.pk]) + anchor,
            "multipart": form.is_multipart(),
        },
        status=400 if form.errors else 200,
    )


def form_fields(form, cleaned):
    return {k: cleaned[k] for k in form.Meta.fields if k in cleaned}
