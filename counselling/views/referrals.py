"""Referrals from the case page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counselling import forms, services
from counselling.models import (
    Referral,
)
from counselling.views._common import (
    _case_action,
    _case_for,
    _case_page,
    _redirect_to_case,
    reads_cases,
)
from ngo import access
from ngo.access import Need
from ngo.lib.forms import add_service_errors


@reads_cases
@require_POST
def referral_add(request, pk: int):
    def call(case, form):
        return services.referral_create(actor=request.user, case=case, **form.cleaned_data)

    return _case_action(
        request,
        pk,
        forms.ReferralForm,
        "referral",
        call,
        success=_("The referral is recorded."),
        anchor="referrals",
        form_kwargs=lambda case: {"user": request.user},
    )


@reads_cases
@require_POST
def referral_status(request, pk: int):
    referral = access.get_for_user(
        request.user, Referral.objects.select_related("organisation", "case"), pk, Need.WRITE
    )
    form = forms.ReferralStatusForm(request.POST)
    if form.is_valid():
        try:
            services.referral_change_status(
                actor=request.user, referral=referral, to=form.cleaned_data["to"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The referral is now: %(status)s.") % {"status": referral.get_status_display()},
            )
            return _redirect_to_case(referral.case_id, f"referral-{referral.pk}")
    case = _case_for(request, referral.case_id)
    return _case_page(request, case, referral_status_form=form)
