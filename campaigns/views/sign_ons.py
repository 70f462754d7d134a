"""Sign-on letters and petitions: their forms, the signatories, the exports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import exports, forms, selectors, services
from campaigns.models import Campaign, Signatory, SignOn
from campaigns.views.common import (
    child_form_view,
    copy_of,
    edit_fields,
    form_fields,
    reads_campaigns,
)
from ngo import access
from ngo.access import Need
from ngo.lib.forms import add_service_errors


@reads_campaigns
@require_http_methods(["GET", "POST"])
def sign_on_new(request, pk: int):
    campaign = access.get_for_user(request.user, Campaign, pk, Need.WRITE)
    form = forms.SignOnForm(request.POST or None)
    return child_form_view(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.sign_on_create(
            actor=request.user, campaign=campaign, **form_fields(form, data)
        ),
        title=_("New sign-on letter or petition"),
        anchor="#sign-ons",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def sign_on_edit(request, pk: int):
    sign_on = selectors.sign_on_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.SignOnForm(request.POST or None, instance=copy_of(sign_on))
    return child_form_view(
        request,
        campaign=sign_on.campaign,
        form=form,
        save=lambda data: services.sign_on_update(
            actor=request.user, sign_on=sign_on, **edit_fields(form, data)
        ),
        title=_("Edit the sign-on"),
        anchor="#sign-ons",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def sign_on_detail(request, pk: int):
    """The text, the signatories and, for coordinators, adding one."""
    sign_on = selectors.sign_on_get(user=request.user, pk=pk, audit_read=request.method == "GET")
    can_write = access.can(request.user, sign_on, Need.WRITE)
    form = forms.SignatoryForm(request.POST or None, sign_on=sign_on) if can_write else None
    if request.method == "POST":
        if not can_write:
            access.get_for_user(request.user, SignOn, pk, Need.WRITE)  # 403, audited
        if form.is_valid():
            try:
                services.signatory_add(
                    actor=request.user,
                    sign_on=sign_on,
                    organisation=form.cleaned_data["organisation"],
                    signed_on=form.cleaned_data["signed_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The signature was added."))
                return redirect("campaigns:sign_on_detail", sign_on.pk)
    signatories = selectors.signatories_of(user=request.user, sign_on=sign_on)
    return render(
        request,
        "campaigns/sign_on_detail.html",
        {
            "sign_on": sign_on,
            "signatories": signatories,
            "form": form,
            "can_write": can_write,
        },
        status=400 if form is not None and form.errors else 200,
    )


@reads_campaigns
@require_POST
def signatory_remove(request, pk: int):
    signatory = access.get_for_user(request.user, Signatory, pk, Need.WRITE)
    sign_on_id = signatory.sign_on_id
    services.signatory_remove(actor=request.user, signatory=signatory)
    messages.success(request, _("The signature was removed."))
    return redirect("campaigns:sign_on_detail", sign_on_id)


@reads_campaigns
@require_GET
def signatories_csv(request, pk: int):
    sign_on = access.get_for_user(request.user, SignOn, pk, audit_read=False)
    return exports.signatories_csv(actor=request.user, sign_on=sign_on)


@reads_campaigns
@require_GET
def signatories_xlsx(request, pk: int):
    sign_on = access.get_for_user(request.user, SignOn, pk, audit_read=False)
    return exports.signatories_xlsx(actor=request.user, sign_on=sign_on)
