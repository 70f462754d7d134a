"""The approvals inbox (requests of the branches she manages, and her own
requests) and the manager's answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from counselling.approvals import forms, selectors, services
from counselling.views._common import reads_cases
from ngo.access import Need


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@reads_cases
@require_GET
def approval_list(request):
    user = request.user
    awaiting = list(selectors.awaiting_decision(user=user))
    for approval in awaiting:
        approval.may_decide = approval.requested_by_id != user.pk
    mine = list(selectors.approval_list(user=user).filter(requested_by=user)[:50])
    return render(
        request,
        "approvals/approval_list.html",
        {"awaiting": awaiting, "mine": mine, "decline_form": forms.ApprovalDeclineForm()},
    )


def _approval(request, pk: int):
    approval = selectors.approval_get(user=request.user, pk=pk, need=Need.WRITE)
    services.require_decider(request.user, approval)
    return approval


@reads_cases
@require_POST
def approval_approve(request, pk: int):
    approval = _approval(request, pk)
    try:
        services.approval_approve(actor=request.user, approval=approval)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Approved."))
    return redirect("approvals:approval_list")


@reads_cases
@require_POST
def approval_decline(request, pk: int):
    approval = _approval(request, pk)
    form = forms.ApprovalDeclineForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("approvals:approval_list")
    try:
        services.approval_decline(
            actor=request.user, approval=approval, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Declined: the requester sees your reason."))
    return redirect("approvals:approval_list")
