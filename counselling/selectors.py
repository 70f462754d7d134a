"""Reads of case data, always scoped to the person asking (ngo.lib.access)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from counselling.filters import CaseFilter, ClientFilter
from counselling.models import (
    Case,
    CaseActivity,
    CaseStatus,
    Client,
    ConsentPurpose,
    phone_index_of,
)
from ngo.accounts.models import User
from ngo.lib import access
from ngo.lib.access import Need
from ngo.lib.crypto import normalise_phone


def client_list(*, user: User, filters: dict | None = None) -> tuple[QuerySet, ClientFilter]:
    queryset = access.scope(user, Client.objects.select_related("branch"), Need.READ)
    filterset = ClientFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def case_queryset() -> QuerySet[Case]:
    return Case.objects.select_related("client", "branch").prefetch_related(
        Prefetch("assigned", queryset=User.objects.only("id", "full_name"))
    )


def case_list(*, user: User, filters: dict | None = None) -> tuple[QuerySet, CaseFilter]:
    """The cases the user may see, narrowed by the caseload filters."""
    queryset = access.scope(user, case_queryset(), Need.READ)
    filterset = CaseFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs.distinct(), filterset


def my_cases(*, user: User) -> QuerySet[Case]:
    return (
        access.scope(user, case_queryset(), Need.READ)
        .filter(assigned=user)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("-updated_at")
    )


def client_possible_duplicates(
    *,
    user: User,
    name_original: str = "",
    name_romanised: str = "",
    birth_date: date | None = None,
    phone: str | None = None,
) -> list[Client]:
    """Clients the user can see with the same name and birth date, or the same
    phone. Records she cannot see are not mentioned (no existence leak)."""
    conditions = Q(pk__in=[])
    if birth_date:
        names = Q(pk__in=[])
        if name_original:
            names |= Q(name_original__iexact=name_original.strip())
        if name_romanised:
            names |= Q(name_romanised__iexact=name_romanised.strip())
        conditions |= Q(birth_date=birth_date) & names
    digits = normalise_phone(phone)
    if len(digits) >= 7:
        conditions |= Q(phone_index=phone_index_of(digits))
    return list(
        access.scope(user, Client.objects.select_related("branch"), Need.READ).filter(conditions)[
            :10
        ]
    )


def case_timeline(*, user: User, case: Case) -> QuerySet[CaseActivity]:
    """Everything that happened on the case (and to its client), newest first."""
    return (
        access.scope(user, CaseActivity.objects.select_related("actor"), Need.READ)
        .filter(Q(case=case) | Q(client_id=case.client_id, case__isnull=True))
        .order_by("-occurred_at", "-id")
    )


def consent_summary(*, client: Client) -> dict[str, object]:
    """The decision in force per purpose (None: never asked)."""
    latest: dict[str, object] = {purpose: None for purpose in ConsentPurpose.values}
    for consent in client.consents.order_by("recorded_at", "id"):
        latest[consent.purpose] = consent
    return latest
