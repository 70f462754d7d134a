"""The Transfers panel of the case page (see counselling.case_panels)."""

from __future__ import annotations

from counselling.case_panels import Panel, register, register_form
from counselling.models import CaseStatus
from counselling.transfers import forms, selectors
from counselling.transfers.models import TransferStatus
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability


@register
def transfers_panel(user, case) -> Panel | None:
    if not user.can(Capability.READ_CASES):
        return None
    transfers = list(selectors.transfer_list(user=user, case=case))
    pending = any(transfer.status == TransferStatus.PENDING for transfer in transfers)
    may_request = (
        access.can(user, case, Need.WRITE) and case.status != CaseStatus.CLOSED and not pending
    )
    return Panel(
        template="transfers/_case_panel.html",
        context={
            "transfers": transfers,
            "may_request": may_request,
        },
    )


def _request_form(user, case):
    pending = selectors.transfer_list(user=user, case=case, status=TransferStatus.PENDING)
    if case.status == CaseStatus.CLOSED or pending.exists():
        return None
    return forms.TransferRequestForm(case=case)


register_form("transfer", _request_form)
