"""Reads on services given, scoped to the person asking, and the cost report."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet, Sum

from counselling.access_rules import branches_q
from counselling.support.models import ServiceGiven, SupportStatus
from ngo import access
from ngo.access import Need


def _services() -> QuerySet[ServiceGiven]:
    return ServiceGiven.objects.select_related("case__client", "organisation", "created_by")


def service_list(*, user) -> QuerySet[ServiceGiven]:
    return access.scope(user, _services())


def service_get(*, user, pk, need: Need = Need.READ, audit_read: bool = True) -> ServiceGiven:
    return access.get_for_user(user, _services(), pk, need, audit_read=audit_read)


def services_of_case(*, user, case) -> list[ServiceGiven]:
    return list(service_list(user=user).filter(case=case))


def total_cost(services) -> int:
    """What the services given (not planned, not cancelled) cost."""
    return sum(s.cost_krw or 0 for s in services if s.status == SupportStatus.GIVEN and s.cost_krw)


def cost_report(*, user, date_from: date, date_until: date, branch=None) -> dict:
    """Counts and sums of the services given in the period at her branches (all
    of them for head office), by kind and by provider: no case, no woman. Two
    queries whatever the number of services."""
    rows = ServiceGiven.objects.filter(
        branches_q(user, "case__branch_id"),
        status=SupportStatus.GIVEN,
        given_on__gte=date_from,
        given_on__lte=date_until,
    )
    if branch is not None:
        rows = rows.filter(case__branch=branch)
    totals = {"count": Count("id"), "cost": Sum("cost_krw")}
    by_kind = list(rows.values("kind").annotate(**totals).order_by("kind"))
    by_provider = list(
        rows.values("organisation__name_ko", "organisation__name_en", "provider_name")
        .annotate(**totals)
        .order_by("-cost", "organisation__name_en", "provider_name")
    )
    labels = dict(ServiceGiven._meta.get_field("kind").choices)
    for row in by_kind:
        row["label"] = str(labels.get(row["kind"], row["kind"]))
        row["cost"] = row["cost"] or 0
    for row in by_provider:
        row["label"] = (
            row["organisation__name_ko"]
            or row["organisation__name_en"]
            or row["provider_name"]
            or "-"
        )
        row["cost"] = row["cost"] or 0
    return {
        "by_kind": by_kind,
        "by_provider": by_provider,
        "count": sum(row["count"] for row in by_kind),
        "cost": sum(row["cost"] for row in by_kind),
    }
