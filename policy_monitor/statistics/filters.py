"""The filters of dataset lists, shared by the screens and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from ngo.accounts.models import Branch
from ngo.lib.filters import IdFilter
from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset


class DatasetFilter(django_filters.FilterSet):
    """?status=generated&q=CEDAW&period_from=2025-01-01&period_to=2025-12-31&branch=3"""

    status = django_filters.ChoiceFilter(choices=DatasetStatus.choices)
    q = django_filters.CharFilter(method="search", label="q")
    period_from = django_filters.DateFilter(field_name="period_to", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period_from", lookup_expr="lte")
    branch = django_filters.ModelChoiceFilter(
        field_name="branches", queryset=Branch.objects.all(), distinct=True
    )
    created_by = IdFilter(field_name="created_by_id")

    class Meta:
        model = StatisticsDataset
        fields = ["status", "q", "period_from", "period_to", "branch", "created_by"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(purpose__icontains=value))
