"""Her transfers in her copy of her records, and in the destruction of them."""

from __future__ import annotations

from counselling.retention.registry import register_scrubber
from counselling.rights.display import display
from counselling.rights.registry import register_section
from counselling.transfers.models import Transfer
from counselling.transfers.services import scrub_transfers


def _transfers(client):
    return [
        {
            "case": str(transfer.case),
            "from": transfer.from_branch.code,
            "to": transfer.to_branch.code,
            "status": transfer.get_status_display(),
            "requested at": display(transfer.requested_at),
            "reason": transfer.reason or "",
            "note": transfer.note or "",
            "answered at": display(transfer.decided_at),
            "reason for declining": transfer.decline_reason or "",
        }
        for transfer in Transfer.objects.filter(case__client=client).select_related(
            "case__client", "from_branch", "to_branch"
        )
    ]


register_section("transfers", "이관 / Transfers between branches", _transfers, models=[Transfer])
register_scrubber("transfers", scrub_transfers)
