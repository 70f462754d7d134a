"""What has fallen due for destruction at a branch on a given day.

Read by the daily proposal and again by execution (a case reopened, a stay
begun or a hold set meanwhile takes her out). Queries are per branch, a fixed
number whatever the number of women; the grouping is in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from counselling.models import Case, CaseStatus, Client
from counselling.retention.models import (
    DEFAULT_YEARS,
    DestructionStub,
    ItemReason,
    LegalHold,
    RetentionRule,
    RuleKind,
)
from counselling.shelters.models import Stay


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def rule_years(kind: str) -> int:
    found = RetentionRule.objects.filter(kind=kind).values_list("years", flat=True).first()
    return found or DEFAULT_YEARS[RuleKind(kind)]


def active_holds(today: date):
    return LegalHold.objects.filter(released_at__isnull=True).filter(
        Q(until__isnull=True) | Q(until__gte=today)
    )


def held_clients(client_ids, case_ids, today: date) -> set[int]:
    """The clients among `client_ids` with an active hold on themselves or on
    one of `case_ids`."""
    holds = active_holds(today).filter(
        Q(client_id__in=client_ids, case__isnull=True) | Q(case_id__in=case_ids)
    )
    return set(holds.values_list("client_id", flat=True))


def is_held(client_id: int, case_ids, today: date, *, whole_client: bool) -> bool:
    holds = active_holds(today).filter(client_id=client_id)
    if not whole_client:
        holds = holds.filter(Q(case__isnull=True) | Q(case_id__in=list(case_ids)))
    return holds.exists()


@dataclass
class Due:
    client_id: int
    reason: str
    due_on: date
    case_ids: list[int] = field(default_factory=list)
    whole_client: bool = False
    held: bool = False


def _destroyed_cases():
    return DestructionStub.objects.filter(case_id=OuterRef("pk"))


def _destroyed_clients():
    return DestructionStub.objects.filter(client_id=OuterRef("pk"), case__isnull=True)


def due_at_branch(branch_id: int, today: date) -> list[Due]:
    case_years = rule_years(RuleKind.CLOSED_CASE)
    cutoff = years_before(today, case_years)
    clients = Client.objects.filter(branch_id=branch_id).exclude(Exists(_destroyed_clients()))
    cases = (
        Case.objects.filter(client__in=clients)
        .annotate(destroyed=Exists(_destroyed_cases()))
        .values("pk", "client_id", "status", "closed_on", "destroyed")
    )
    by_client = defaultdict(list)
    for case in cases:
        by_client[case["client_id"]].append(case)
    staying = set(
        Stay.objects.filter(client__in=clients, discharged_on__isnull=True).values_list(
            "client_id", flat=True
        )
    )
    found = []
    for client_id, her_cases in by_client.items():
        due = [
            c
            for c in her_cases
            if not c["destroyed"]
            and c["status"] == CaseStatus.CLOSED
            and c["closed_on"] is not None
            and c["closed_on"] <= cutoff
        ]
        due_ids = {c["pk"] for c in due}
        whole = client_id not in staying and all(
            c["destroyed"] or c["pk"] in due_ids for c in her_cases
        )
        if not due and not whole:
            continue
        found.append(
            Due(
                client_id=client_id,
                reason=ItemReason.CASES_CLOSED if whole else ItemReason.CASE_CLOSED,
                # Her last case went earlier (while she was in a shelter): due today.
                due_on=years_after(max(c["closed_on"] for c in due), case_years) if due else today,
                case_ids=sorted(due_ids),
                whole_client=whole,
            )
        )
    unlinked_years = rule_years(RuleKind.UNLINKED_CLIENT)
    unlinked = clients.exclude(pk__in=list(by_client)).exclude(pk__in=list(staying))
    for client_id, created_at in unlinked.values_list("pk", "created_at"):
        recorded = timezone.localtime(created_at).date()
        if recorded <= years_before(today, unlinked_years):
            found.append(
                Due(
                    client_id=client_id,
                    reason=ItemReason.NO_CASE,
                    due_on=years_after(recorded, unlinked_years),
                    whole_client=True,
                )
            )
    held = held_clients(
        [d.client_id for d in found], [pk for d in found for pk in d.case_ids], today
    )
    whole_held = set(
        active_holds(today)
        .filter(client_id__in=[d.client_id for d in found if d.whole_client])
        .values_list("client_id", flat=True)
    )
    for entry in found:
        entry.held = entry.client_id in held or entry.client_id in whole_held
    return sorted(found, key=lambda d: (d.due_on, d.client_id))
