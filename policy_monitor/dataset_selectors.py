"""Reads of shadow-report datasets, always scoped to the person asking."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, QuerySet

from ngo.accounts.models import Branch, User
from ngo.lib import access
from ngo.lib.access import Need
from policy_monitor.dataset_models import DatasetStatus, StatisticsDataset


class DatasetFilter(django_filters.FilterSet):
    """?status=generated&q=CEDAW&period_from=2025-01-01&period_to=2025-12-31&branch=3"""

    status = django_filters.ChoiceFilter(choices=DatasetStatus.choices)
    q = django_filters.CharFilter(method="search", label="q")
    period_from = django_filters.DateFilter(field_name="period_to", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period_from", lookup_expr="lte")
    branch = django_filters.ModelChoiceFilter(
        field_name="branches", queryset=Branch.objects.all(), distinct=True
    )
    created_by = django_filters.NumberFilter(field_name="created_by_id")

    class Meta:
        model = StatisticsDataset
        fields = ["status", "q", "period_from", "period_to", "branch", "created_by"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(purpose__icontains=value))


def dataset_queryset() -> QuerySet[StatisticsDataset]:
    return StatisticsDataset.objects.select_related("created_by").prefetch_related(
        Prefetch("branches", queryset=Branch.objects.order_by("code"))
    )


def dataset_list(
    *, user: User, filters: dict | None = None
) -> tuple[QuerySet[StatisticsDataset], DatasetFilter]:
    queryset = access.scope(user, dataset_queryset(), Need.READ)
    filterset = DatasetFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def dataset_for_user(
    user: User, pk, need: Need = Need.READ, *, audit_read: bool = True
) -> StatisticsDataset:
    return access.get_for_user(user, dataset_queryset(), pk, need, audit_read=audit_read)
