"""The filters of the call list, one FilterSet for the screen and the API:
?date_from=, ?date_until=, ?topic=, ?language=, ?risk=, ?wants_to_come_in=,
?linked=true|false."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from counselling.hotline.models import CallRisk, CallTopic, ComeIn, HotlineCall


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class CallFilter(filters.FilterSet):
    date_from = filters.DateFilter(label=_("from"), method="filter_from")
    date_until = filters.DateFilter(label=_("until"), method="filter_until")
    topic = filters.ChoiceFilter(label=_("topic"), choices=CallTopic.choices, method="filter_topic")
    language = filters.CharFilter(label=_("language"), field_name="language", max_length=3)
    risk = filters.ChoiceFilter(label=_("risk noted"), choices=CallRisk.choices)
    wants_to_come_in = filters.ChoiceFilter(label=_("wants to come in"), choices=ComeIn.choices)
    linked = filters.BooleanFilter(
        label=_("linked to a case"), field_name="case", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = HotlineCall
        fields = []

    def filter_from(self, queryset, name, value):
        return queryset.filter(started_at__gte=_start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(started_at__lt=_start_of(value + timedelta(days=1)))

    def filter_topic(self, queryset, name, value):
        # A JSON list holds the code: matched as a quoted string, on SQLite and
        # PostgreSQL alike (the codes are plain words, no quote in them).
        return queryset.filter(topics__icontains=f'"{value}"')
