"""Reads of shadow-report datasets, always scoped to the person asking."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ngo import access
from ngo.access import Need
from ngo.accounts.models import Branch, User
from policy_monitor.statistics.filters import DatasetFilter
from policy_monitor.statistics.models import StatisticsDataset


def _dataset_queryset() -> QuerySet[StatisticsDataset]:
    return StatisticsDataset.objects.select_related("created_by").prefetch_related(
        Prefetch("branches", queryset=Branch.objects.order_by("code"))
    )


def _linked(model, name: str, user: User, *joins, then=()) -> Prefetch:
    """Prefetch `name` of `model`, scoped to what `user` may read."""
    related = model._meta.get_field(name).related_model
    queryset = related.objects.select_related(*joins).order_by("pk")
    return Prefetch(
        name,
        queryset=access.scope(
            user, queryset.prefetch_related(*then(related)) if then else queryset
        ),
    )


def _with_evidence(queryset: QuerySet[StatisticsDataset], user: User):
    """With the submissions and recommendations that cite each dataset (links
    kept by policy_monitor, reached through their related names) and the
    campaign demands pressing for those recommendations, as far as `user` may
    read them."""
    return queryset.prefetch_related(
        _linked(StatisticsDataset, "submissions", user, "policy"),
        _linked(
            StatisticsDataset,
            "recommendations",
            user,
            "mechanism",
            "plan",
            then=lambda model: [_linked(model, "campaign_demands", user, "campaign")],
        ),
    )


def datasets_for_user(*, user: User, need: Need = Need.READ) -> QuerySet[StatisticsDataset]:
    """Every dataset `user` may read (or change), ready to list."""
    return access.scope(user, _with_evidence(_dataset_queryset(), user), need)


def dataset_list(
    *, user: User, filters: dict | None = None
) -> tuple[QuerySet[StatisticsDataset], DatasetFilter]:
    queryset = datasets_for_user(user=user)
    filterset = DatasetFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def dataset_for_user(
    *, user: User, pk, need: Need = Need.READ, audit_read: bool = True
) -> StatisticsDataset:
    """One dataset, or Http404 outside her read scope (PermissionDenied when she
    may read it but `need` is WRITE). A read is audited unless told otherwise."""
    return access.get_for_user(
        user, _with_evidence(_dataset_queryset(), user), pk, need, audit_read=audit_read
    )
