"""Checks made before a dataset is saved or queued, so that a request that
cannot give a useful table is refused with a clear message instead of
producing a table of withheld cells.

- The period: not after the current month (nothing to count yet), not before
  the month the centre's records begin (settings.STATISTICS_RECORDS_START,
  default 2000-01). A fixed setting rather than the earliest case: the
  retention scrubber removes old cases, and the earliest one would move.
- The scope (branches, months, what is counted): at least one woman whose
  consent to statistics is in force, and at least k of them, else every
  figure would be withheld. For hotline calls, the same with the calls.

Counting here is COUNT queries only: no record leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.hotline.models import HotlineCall
from counselling.models import Case, Client, Consent, ConsentPurpose, CounsellingSession
from policy_monitor.statistics.models import Measure, PeriodBasis

WOMEN_MEASURES = {Measure.CLIENTS, Measure.CASES, Measure.SESSIONS}


@dataclass(frozen=True)
class Scope:
    period_from: date
    period_to: date
    period_basis: str
    branch_ids: list[int]
    measures: list[str]
    min_cell_size: int


def period_problems(period_from: date | None, period_to: date | None) -> dict[str, str]:
    """Field errors of the period: after the current month, before the records."""
    problems = {}
    this_month = timezone.localdate().replace(day=1)
    start = settings.STATISTICS_RECORDS_START
    if period_to and period_to.replace(day=1) > this_month:
        problems["period_to"] = _(
            "The period cannot end after the current month (%(month)s): there is nothing "
            "to count yet."
        ) % {"month": f"{this_month:%Y-%m}"}
    if period_from and period_from.replace(day=1) > this_month:
        problems["period_from"] = _(
            "The period cannot start after the current month (%(month)s)."
        ) % {"month": f"{this_month:%Y-%m}"}
    if period_from and period_from < start:
        problems["period_from"] = _(
            "The centre's records begin in %(month)s: the period cannot start earlier."
        ) % {"month": f"{start:%Y-%m}"}
    return problems


def _bounds(scope: Scope) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(scope.period_from, time.min, tzinfo=tz)
    end = datetime.combine(scope.period_to + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def consenting_women(scope: Scope) -> int:
    """Women with a case in scope whose newest statistics decision is a yes (one COUNT)."""
    start, end = _bounds(scope)
    cases = Case.objects.all()
    if scope.branch_ids:
        cases = cases.filter(branch_id__in=scope.branch_ids)
    opened = Q(opened_on__gte=scope.period_from, opened_on__lte=scope.period_to)
    if scope.period_basis == PeriodBasis.OPENED:
        cases = cases.filter(opened)
    else:
        sessions = CounsellingSession.objects.filter(started_at__gte=start, started_at__lt=end)
        cases = cases.filter(opened | Q(pk__in=sessions.values("case_id")))
    newest = (
        Consent.objects.filter(client=OuterRef("pk"), purpose=ConsentPurpose.STATISTICS)
        .order_by("-recorded_at", "-id")
        .values("given")[:1]
    )
    return (
        Client.objects.filter(pk__in=cases.values("client_id"))
        .annotate(statistics_consent=Subquery(newest))
        .filter(statistics_consent=True)
        .count()
    )


def calls_in_scope(scope: Scope) -> int:
    start, end = _bounds(scope)
    calls = HotlineCall.objects.filter(started_at__gte=start, started_at__lt=end)
    if scope.branch_ids:
        calls = calls.filter(branch_id__in=scope.branch_ids)
    return calls.count()


def scope_problems(scope: Scope) -> list[str]:
    """Why the scope would give nothing to publish; empty when it is worth counting."""
    k = scope.min_cell_size
    problems = []
    if WOMEN_MEASURES & set(scope.measures):
        women = consenting_women(scope)
        if women == 0:
            problems.append(
                _(
                    "No woman in this scope has consented to statistical use: there is "
                    "nothing to count. Choose other months or branches."
                )
            )
        elif women < k:
            problems.append(
                _(
                    "Fewer than %(k)s women in this scope have consented to statistical use: "
                    "every figure would be withheld. Widen the months or the branches."
                )
                % {"k": k}
            )
    if Measure.CALLS in scope.measures:
        calls = calls_in_scope(scope)
        if calls == 0:
            problems.append(
                _("There are no hotline calls in this scope: there is nothing to count.")
            )
        elif calls < k:
            problems.append(
                _(
                    "Fewer than %(k)s hotline calls are in this scope: every figure would be "
                    "withheld. Widen the months or the branches."
                )
                % {"k": k}
            )
    return problems
