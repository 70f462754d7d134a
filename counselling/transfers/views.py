"""Transfer screens: the request from the case page, the list (incoming to
the branches she manages, outgoing from hers), one request with its answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from counselling.forms import language_label
from counselling.models import Case, CaseType, RiskLevel
from counselling.transfers import forms, selectors, services
from counselling.transfers.models import TransferStatus
from counselling.views._common import reads_cases
from ngo import access
from ngo.access import Need


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_refused(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def _to_case(case_id):
    return redirect(reverse("counselling:case_detail", args=[case_id]) + "#transfers")


def _to_transfer(pk):
    return redirect("transfers:transfer_detail", pk=pk)


@reads_cases
@require_POST
def transfer_request(request, pk: int):
    case = access.get_for_user(request.user, Case, pk, Need.WRITE)
    form = forms.TransferRequestForm(request.POST, case=case)
    if not form.is_valid():
        _form_refused(request, form)
        return _to_case(case.pk)
    try:
        services.transfer_request(actor=request.user, case=case, **form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("The transfer is requested; the receiving branch's manager answers it.")
        )
    return _to_case(case.pk)


@reads_cases
@require_GET
def transfer_list(request):
    user = request.user
    status = request.GET.get("status", "")
    if status not in TransferStatus.values:
        status = ""
    return render(
        request,
        "transfers/transfer_list.html",
        {
            "incoming": list(
                selectors.transfer_list(user=user, status=status, direction=selectors.INCOMING)
            ),
            "outgoing": list(
                selectors.transfer_list(user=user, status=status, direction=selectors.OUTGOING)
            ),
            "status": status,
            "statuses": TransferStatus.choices,
        },
    )


def _labels(choices, values):
    names = dict(choices)
    return [str(names.get(value, value)) for value in values]


@reads_cases
@require_GET
def transfer_detail(request, pk: int):
    user = request.user
    transfer = selectors.transfer_get(user=user, pk=pk)
    case = transfer.case
    pending = transfer.status == TransferStatus.PENDING
    receives = pending and services.may_receive(user, transfer)
    context = {
        "transfer": transfer,
        "case": case,
        "case_types": _labels(CaseType.choices, case.case_types),
        "risk_level": dict(RiskLevel.choices).get(case.risk_level, case.risk_level),
        "languages": [language_label(code) for code in case.client.languages],
        "reads_case": access.can(user, case, Need.READ),
        "receives": receives,
        "may_cancel": pending and services.may_cancel(user, transfer),
        "moving": services.cases_moving_with(transfer) if pending else [],
        "in_shelter": pending and services.in_sending_shelter(transfer),
        "accept_form": forms.TransferAcceptForm(transfer=transfer) if receives else None,
        "decline_form": forms.TransferDeclineForm() if receives else None,
    }
    return render(request, "transfers/transfer_detail.html", context)


def _transfer(request, pk: int):
    return selectors.transfer_get(user=request.user, pk=pk, need=Need.WRITE)


@reads_cases
@require_POST
def transfer_accept(request, pk: int):
    transfer = _transfer(request, pk)
    services.require_receiver(request.user, transfer)
    form = forms.TransferAcceptForm(request.POST, transfer=transfer)
    if not form.is_valid():
        _form_refused(request, form)
        return _to_transfer(transfer.pk)
    try:
        services.transfer_accept(
            actor=request.user, transfer=transfer, assigned=form.cleaned_data["assigned"]
        )
    except ValidationError as exc:
        _refused(request, exc)
        return _to_transfer(transfer.pk)
    messages.success(request, _("The case is now your branch's."))
    return redirect("counselling:case_detail", pk=transfer.case_id)


@reads_cases
@require_POST
def transfer_decline(request, pk: int):
    transfer = _transfer(request, pk)
    services.require_receiver(request.user, transfer)
    form = forms.TransferDeclineForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
        return _to_transfer(transfer.pk)
    try:
        services.transfer_decline(
            actor=request.user, transfer=transfer, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The transfer is declined."))
    return redirect("transfers:transfer_list")


@reads_cases
@require_POST
def transfer_cancel(request, pk: int):
    transfer = _transfer(request, pk)
    try:
        services.transfer_cancel(actor=request.user, transfer=transfer)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The transfer request is withdrawn."))
    return _to_case(transfer.case_id)
