"""Reads on shelters and programmes, scoped to the person asking."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from counselling.models import (
    Bed,
    BedHold,
    BedOccupancy,
    Enrolment,
    Programme,
    Shelter,
    Stay,
)
from ngo import access
from ngo.access import Need


def shelter_list(*, user) -> QuerySet[Shelter]:
    return access.scope(user, Shelter.objects.select_related("branch"), Need.READ)


@dataclass
class BedState:
    bed: Bed
    status: str  # free, held, occupied, out_of_service
    stay: Stay | None = None
    hold: BedHold | None = None


def shelter_board(*, user, shelter: Shelter, today: date | None = None) -> dict:
    """Each bed free / held / occupied (occupant by case code, never by name),
    arrivals and leaves due this week, and the occupancy rate of recent months."""
    today = today or timezone.localdate()
    now = timezone.now()
    current = BedOccupancy.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=today), starts_on__lte=today
    ).select_related("stay__client")
    holds = BedHold.objects.filter(released_at__isnull=True, expires_at__gt=now)
    beds = list(
        Bed.objects.filter(room__shelter=shelter)
        .select_related("room")
        .prefetch_related(
            Prefetch("occupancies", queryset=current, to_attr="now_occupied"),
            Prefetch("holds", queryset=holds, to_attr="now_held"),
        )
        .order_by("room__name", "label")
    )
    states = []
    for bed in beds:
        if bed.now_occupied:
            states.append(BedState(bed, "occupied", stay=bed.now_occupied[0].stay))
        elif bed.out_of_service:
            states.append(BedState(bed, "out_of_service"))
        elif bed.now_held:
            states.append(BedState(bed, "held", hold=bed.now_held[0]))
        else:
            states.append(BedState(bed, "free"))
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    stays = access.scope(user, Stay.objects.filter(shelter=shelter).select_related("client"))
    return {
        "shelter": shelter,
        "beds": states,
        "counts": {
            s: sum(1 for b in states if b.status == s)
            for s in ("free", "held", "occupied", "out_of_service")
        },
        "arrivals": list(stays.filter(admitted_on__range=(week_start, week_end))),
        "leaves_due": list(
            stays.filter(discharged_on__isnull=True, expected_leave_on__lte=week_end).order_by(
                "expected_leave_on"
            )
        ),
        "months": [
            occupancy_rate(shelter=shelter, year=y, month=m) for y, m in _last_months(today, 6)
        ],
    }


def _last_months(today: date, count: int) -> list[tuple[int, int]]:
    year, month, months = today.year, today.month, []
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def occupancy_rate(*, shelter: Shelter, year: int, month: int) -> dict:
    """Occupied bed-nights over available bed-nights in a month. Available: the
    beds in service now (out-of-service history is not kept) times the days."""
    first = date(year, month, 1)
    after = first + timedelta(days=calendar.monthrange(year, month)[1])
    occupancies = BedOccupancy.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=first),
        bed__room__shelter=shelter,
        starts_on__lt=after,
    ).values_list("starts_on", "ends_on")
    today = timezone.localdate()
    nights = 0
    for starts_on, ends_on in occupancies:
        end = min(ends_on or today + timedelta(days=1), after)
        nights += max(0, (end - max(starts_on, first)).days)
    beds = Bed.objects.filter(room__shelter=shelter, out_of_service=False).count()
    days = (after - first).days
    capacity = beds * days
    return {
        "year": year,
        "month": month,
        "bed_nights": nights,
        "capacity": capacity,
        "rate": round(100 * nights / capacity, 1) if capacity else 0.0,
    }


def programme_list(*, user) -> QuerySet[Programme]:
    return access.scope(user, Programme.objects.select_related("branch", "facilitator"))


def attendance_sheet(*, programme: Programme) -> dict:
    """Rows of enrolments (case code or member name) by class session."""
    sessions = list(programme.sessions.all())
    enrolments = list(
        Enrolment.objects.filter(programme=programme)
        .select_related("client")
        .prefetch_related("attendances")
    )
    rows = []
    for enrolment in enrolments:
        marks = {a.session_id: a.present for a in enrolment.attendances.all()}
        attended = sum(1 for present in marks.values() if present)
        rows.append(
            {
                "enrolment": enrolment,
                "who": enrolment.client.case_code if enrolment.client_id else enrolment.member_name,
                "marks": [marks.get(s.pk) for s in sessions],
                "attended": attended,
                "rate": round(100 * attended / len(sessions)) if sessions else 0,
            }
        )
    return {"programme": programme, "sessions": sessions, "rows": rows}
