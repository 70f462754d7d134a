"""Selectors of the home-page charts of case work: counts aggregated in the
database (GROUP BY, TruncMonth), scoped to the user, in a fixed number of
queries however many records there are."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from counselling.models import (
    Case,
    CaseStatus,
    CaseType,
    CounsellingSession,
    Referral,
    RiskLevel,
    SessionMode,
    case_type_q,
)
from counselling.selectors import my_cases
from ngo import access
from ngo.access import Need
from ngo.directory.models import OrganisationKind
from ngo.lib.codes import language_name

FOLLOW_UP_DAYS = 7
FOLLOW_UP_LIST = 10


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _counts(queryset: QuerySet, field: str) -> dict:
    return dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))


def my_open_cases_by_risk(*, user) -> dict[str, int]:
    """My open cases, one count per risk level (one query)."""
    counts = _counts(my_cases(user=user), "risk_level")
    return {value: counts.get(value, 0) for value in RiskLevel.values}


def my_follow_ups_due(*, user, today: date) -> dict:
    """Follow-ups of my open cases due in the seven days from today: one count
    per day, and the first few sessions to follow up (two queries)."""
    days = [today + timedelta(days=n) for n in range(FOLLOW_UP_DAYS)]
    sessions = (
        access.scope(user, CounsellingSession, Need.READ)
        .filter(case__in=my_cases(user=user).values("pk"), follow_up_on__range=(days[0], days[-1]))
        .exclude(case__status=CaseStatus.CLOSED)
    )
    counts = _counts(sessions, "follow_up_on")
    return {
        "days": days,
        "per_day": [counts.get(day, 0) for day in days],
        "sessions": list(
            sessions.select_related("case__client").order_by("follow_up_on", "pk")[:FOLLOW_UP_LIST]
        ),
    }


def new_cases_per_month(*, user, months: list[date]) -> dict[date, int]:
    """Cases of the user's branches opened in each month (one GROUP BY)."""
    cases = access.scope(user, Case, Need.READ).filter(opened_on__gte=months[0])
    rows = cases.annotate(month=TruncMonth("opened_on")).values("month").annotate(n=Count("pk"))
    return {_as_date(row["month"]): row["n"] for row in rows.order_by()}


def open_cases_by_type(*, user) -> list[tuple[str, int]]:
    """Open cases by case type; a case of two types counts in both (one query)."""
    cases = access.scope(user, Case, Need.READ).exclude(status=CaseStatus.CLOSED)
    counts = cases.aggregate(
        **{value: Count("pk", filter=case_type_q(value)) for value in CaseType.values}
    )
    return [(label, counts[value]) for value, label in CaseType.choices]


def sessions_by_mode_and_language(*, user, since: date) -> dict:
    """Sessions held since `since`, by mode and by language (two GROUP BYs)."""
    sessions = access.scope(user, CounsellingSession, Need.READ).filter(
        started_at__gte=_start_of(since)
    )
    modes = _counts(sessions, "mode")
    languages = _counts(sessions, "language")
    return {
        "mode": [(label, modes.get(value, 0)) for value, label in SessionMode.choices],
        "language": sorted(
            ((language_name(code) if code else "-", n) for code, n in languages.items()),
            key=lambda pair: (-pair[1], pair[0]),
        ),
    }


def referrals_by_kind(*, user, since: date) -> list[tuple[str, int]]:
    """Referrals sent since `since`, by the kind of organisation (one GROUP BY)."""
    referrals = access.scope(user, Referral, Need.READ).filter(sent_on__gte=since)
    counts = _counts(referrals, "organisation__kind")
    return [(label, counts[value]) for value, label in OrganisationKind.choices if value in counts]


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value
