"""Hotline calls as a count of shadow-report datasets.

A call has no woman behind it (and needs no consent to statistics): one unit
per call in the period at the dataset's branches, with its year, quarter,
branch, topics and language, nothing else. Datasets that would mix calls
with a woman's dimensions are refused when they are defined
(tabulation.measure_dimension_problem). One query."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from counselling.hotline.models import HotlineCall
from ngo.accounts.models import Branch
from policy_monitor.statistics import tabulation


def call_units(dataset) -> list[dict]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(dataset.period_from, time.min, tzinfo=tz)
    end = datetime.combine(dataset.period_to + timedelta(days=1), time.min, tzinfo=tz)
    calls = HotlineCall.objects.filter(started_at__gte=start, started_at__lt=end)
    branch_ids = list(dataset.branches.values_list("pk", flat=True))
    if branch_ids:
        calls = calls.filter(branch_id__in=branch_ids)
    codes = dict(Branch.objects.values_list("pk", "code"))
    units = []
    for row in calls.values("id", "branch_id", "started_at", "topics", "language"):
        day = timezone.localtime(row["started_at"]).date()
        units.append(
            {
                "year": str(day.year),
                "quarter": tabulation.quarter_of(day),
                "branch": codes.get(row["branch_id"]),
                "call_topic": sorted(row["topics"] or []),
                "call_language": row["language"] or None,
                "_key": f"call:{row['id']}",
            }
        )
    return units
