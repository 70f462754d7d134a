"""What the campaigns screens share. Thin views: they read through
campaigns.selectors and ngo.access (detail reads are audited there), write
through the services, and re-render the form on a ValidationError."""

from __future__ import annotations

import copy

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ngo.access.views import capability_required, record_form_view
from ngo.accounts.roles import Capability
from ngo.lib.paging import CappedPaginator

AREA = "campaigns"
PAGE_SIZE = 30

reads_campaigns = capability_required(Capability.READ_CAMPAIGNS, area=AREA)


def writer(user) -> bool:
    return user.can(Capability.WRITE_CAMPAIGNS)


def copy_of(obj):
    """Bind an edit form to a copy: the service compares against the record."""
    return copy.copy(obj)


def page_of(request, queryset):
    return CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def form_page(request, form, *, title: str, cancel: str, **extra):
    """campaigns/form.html: 400 when the form is shown again with its errors."""
    return render(
        request,
        "campaigns/form.html",
        {"form": form, "title": title, "cancel": cancel, **extra},
        status=400 if form.errors else 200,
    )


def child_form_view(request, *, campaign, form, save, title, anchor):
    """A form for a record of `campaign` (read for writing by the caller):
    `save(cleaned_data)` calls the service; back to the campaign's page."""
    back = reverse("campaigns:campaign_detail", args=[campaign.pk]) + anchor
    return record_form_view(
        request,
        read=lambda: campaign,
        bind=lambda _campaign: form,
        save=lambda bound, _campaign: save(bound.cleaned_data),
        saved=lambda _saved: redirect(back),
        page=lambda bound, _campaign: form_page(
            request,
            bound,
            title=title,
            cancel=back,
            campaign=campaign,
            multipart=bound.is_multipart(),
        ),
        message=_("Saved."),
    )


def form_fields(form, cleaned):
    return {k: cleaned[k] for k in form.Meta.fields if k in cleaned}


def edit_fields(form, cleaned):
    """An edit's values, with the version of the record the form was filled from."""
    return {**form_fields(form, cleaned), "expected_version": cleaned.get("version")}
