"""Reading transfers, always scoped to the person reading."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from counselling.transfers.models import Transfer, TransferStatus
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability

INCOMING, OUTGOING = "incoming", "outgoing"


def transfer_queryset() -> QuerySet:
    return Transfer.objects.select_related(
        "case__client", "from_branch", "to_branch", "requested_by", "decided_by"
    )


def transfer_list(*, user, status: str = "", direction: str = "", case=None) -> QuerySet[Transfer]:
    transfers = access.scope(user, transfer_queryset(), Need.READ)
    if status:
        transfers = transfers.filter(status=status)
    if direction == INCOMING:
        transfers = transfers.filter(to_branch_id__in=user.branch_ids())
    elif direction == OUTGOING:
        transfers = transfers.filter(from_branch_id__in=user.branch_ids())
    if case is not None:
        transfers = transfers.filter(case=case)
    return transfers


def incoming_pending(*, user) -> QuerySet[Transfer]:
    """What awaits her answer: transfers to the branches she manages."""
    if not user.can(Capability.MANAGE_BRANCH):
        return Transfer.objects.none()
    return transfer_list(user=user, status=TransferStatus.PENDING, direction=INCOMING)


def transfer_get(*, user, pk, need: Need = Need.READ) -> Transfer:
    return access.get_for_user(user, transfer_queryset(), pk, need)


def _months_back(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    result = []
    for _ in range(months):
        result.append(first)
        first = (first.replace(day=1) - timedelta(days=1)).replace(day=1)
    return list(reversed(result))


def transfers_by_month(user, months: int = 12) -> list[dict]:
    """Accepted transfers into and out of her branches (every branch for those
    who see all) per month, the oldest month first, this month last:
    [{"month": date(2026, 1, 1), "incoming": 2, "outgoing": 1}, ...]. Counts
    only, no case named: for the managers' dashboard."""
    months = max(1, min(int(months), 120))
    if not (user.can(Capability.MANAGE_BRANCH) or user.can(Capability.ALL_BRANCHES)):
        return []
    wanted = _months_back(timezone.localdate(), months)
    rows = {month: {"month": month, "incoming": 0, "outgoing": 0} for month in wanted}
    accepted = Transfer.objects.filter(
        status=TransferStatus.ACCEPTED, decided_at__date__gte=wanted[0]
    )
    everywhere = user.can(Capability.ALL_BRANCHES)
    mine = user.branch_ids()
    for key, field in (("incoming", "to_branch_id"), ("outgoing", "from_branch_id")):
        scoped = accepted if everywhere else accepted.filter(Q(**{f"{field}__in": mine}))
        counts = (
            scoped.annotate(month=TruncMonth("decided_at"))
            .values("month")
            .annotate(total=Count("pk"))
        )
        for row in counts:
            month = row["month"]
            month = month.date() if hasattr(month, "date") else month
            if month in rows:
                rows[month][key] += row["total"]
    return [rows[month] for month in wanted]
