"""Reads on shelters, rooms, beds, stays and holds, scoped to the person asking.

The `*_list` selectors are what she may read; the `*_get` selectors fetch one
record for reading or writing through ngo.access (404 outside her scope,
403 where she may only read; detail reads are audited there)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from counselling.models import Case, Child
from counselling.shelters.models import (
    Bed,
    BedHold,
    BedOccupancy,
    BedRequest,
    Room,
    Shelter,
    Stay,
)
from ngo import access
from ngo.access import Need

# --- Lists and single records ---------------------------------------------------------------


def _shelters() -> QuerySet[Shelter]:
    return Shelter.objects.select_related("branch")


def shelter_list(*, user) -> QuerySet[Shelter]:
    return access.scope(user, _shelters(), Need.READ)


def shelter_list_with_counts(*, user) -> QuerySet[Shelter]:
    """Her shelters with their number of beds and of open stays (the list page)."""
    return shelter_list(user=user).annotate(
        bed_count=Count("rooms__beds", distinct=True),
        open_stays=Count("stays", filter=Q(stays__discharged_on__isnull=True), distinct=True),
    )


def shelter_with_beds_list(*, user) -> QuerySet[Shelter]:
    """Her shelters with their rooms and beds (a shelter's detail)."""
    return shelter_list(user=user).prefetch_related("rooms__beds")


def shelter_get(*, user, pk, need: Need = Need.READ) -> Shelter:
    return access.get_for_user(user, _shelters(), pk, need)


def room_list(*, user) -> QuerySet[Room]:
    return access.scope(user, Room.objects.prefetch_related("beds"))


def room_get(*, user, pk, need: Need = Need.READ) -> Room:
    return access.get_for_user(user, Room.objects.select_related("shelter__branch"), pk, need)


def bed_list(*, user) -> QuerySet[Bed]:
    return access.scope(user, Bed.objects.select_related("room"))


def bed_get(*, user, pk, need: Need = Need.READ) -> Bed:
    return access.get_for_user(user, Bed.objects.select_related("room__shelter__branch"), pk, need)


def stay_list(*, user) -> QuerySet[Stay]:
    stays = Stay.objects.select_related("client", "bed__room", "created_by", "shelter")
    return access.scope(user, stays.prefetch_related("children"))


def stay_get(*, user, pk, need: Need = Need.READ) -> Stay:
    stays = Stay.objects.select_related("client", "case", "shelter__branch", "bed__room")
    return access.get_for_user(user, stays, pk, need)


def children_of_case(*, case: Case) -> QuerySet[Child]:
    """Her recorded children, who may come to the shelter with her (the case's
    access check has been made)."""
    return Child.objects.filter(client_id=case.client_id)


def stay_children(*, user, stay: Stay):
    """The children with her that `user` may see."""
    return access.scope(user, stay.children.all())


def bed_hold_list(*, user) -> QuerySet[BedHold]:
    return access.scope(
        user, BedHold.objects.select_related("bed__room", "case__client", "held_by")
    )


def bed_hold_get(*, user, pk, need: Need = Need.READ) -> BedHold:
    holds = BedHold.objects.select_related("bed__room__shelter")
    return access.get_for_user(user, holds, pk, need)


def case_codes(*, user, case_ids) -> dict[int, str]:
    """Case id -> case code, for the cases among `case_ids` that `user` may see."""
    if not case_ids:
        return {}
    cases = access.scope(user, Case.objects.filter(pk__in=case_ids))
    return dict(cases.values_list("pk", "client__case_code"))


def held_for_case_code(*, user, bed: Bed) -> str:
    """The case code of the woman an active hold keeps this bed for, if she may see
    her or the hold answers a bed request (a woman of another branch)."""
    hold = bed.holds.filter(released_at__isnull=True, expires_at__gt=timezone.now()).first()
    if hold is None or not hold.case_id:
        return ""
    requested = held_request_case(bed=bed)
    if requested is not None:
        return requested.client.case_code
    return case_codes(user=user, case_ids=[hold.case_id]).get(hold.case_id, "")


def held_request_case(*, bed: Bed) -> Case | None:
    """The case an active hold of this bed keeps it for at a bed request's asking:
    the shelter's staff admit her though her case is another branch's (the
    caller has checked that she writes this bed)."""
    hold = (
        bed.holds.filter(
            released_at__isnull=True, expires_at__gt=timezone.now(), request__isnull=False
        )
        .select_related("case__client")
        .first()
    )
    return hold.case if hold is not None else None


# --- Bed requests ---------------------------------------------------------------------------


def bed_request_list(*, user) -> QuerySet[BedRequest]:
    requests = BedRequest.objects.select_related(
        "shelter__branch", "case__client", "case__branch", "requested_by", "decided_by"
    )
    return access.scope(user, requests)


def shelters_run_by(*, user) -> list[int]:
    """Ids of the shelters she runs (may change): the requests to them are hers to answer."""
    return list(access.scope(user, Shelter.objects.all(), Need.WRITE).values_list("pk", flat=True))


def bed_request_records(*, user) -> QuerySet[BedRequest]:
    """Her requests with what the API shows of each: the children's ids and the
    beds held (never who else is in the shelter)."""
    holds = BedHold.objects.select_related("bed__room").order_by("bed__room__name", "bed__label")
    return bed_request_list(user=user).prefetch_related(
        "children", Prefetch("holds", queryset=holds)
    )


def shelter_to_ask(*, pk: int) -> Shelter | None:
    """An open shelter of any branch, to ask for beds (its counts are public)."""
    return Shelter.objects.filter(pk=pk, is_active=True).first()


def beds_to_hold(*, bed_request: BedRequest, pks: list[int]) -> list[Bed] | None:
    """The beds named, in the order named, if all are of the shelter asked."""
    found = Bed.objects.filter(room__shelter_id=bed_request.shelter_id, pk__in=pks)
    by_pk = {bed.pk: bed for bed in found.select_related("room__shelter")}
    if any(pk not in by_pk for pk in pks):
        return None
    return [by_pk[pk] for pk in pks]


def bed_request_get(*, user, pk, need: Need = Need.READ) -> BedRequest:
    requests = BedRequest.objects.select_related(
        "shelter__branch", "case__client", "case__branch", "requested_by", "decided_by"
    )
    return access.get_for_user(user, requests, pk, need)


# --- The occupancy board --------------------------------------------------------------------


@dataclass
class BedState:
    bed: Bed
    status: str  # free, held, occupied, out_of_service
    stay: Stay | None = None
    hold: BedHold | None = None
    occupancy: BedOccupancy | None = None


def shelter_board(*, user, shelter: Shelter, today: date | None = None) -> dict:
    """Each bed free / held / occupied (occupant by case code, never by name; a
    cot by the case code of the mother of the child in it) on `today` (any
    date), arrivals and leaves due that week, and the occupancy rate of the
    months before. A hold shows from the day it was placed to the day it lapses."""
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
        held = [
            h
            for h in bed.now_held
            if timezone.localdate(h.created_at) <= today <= timezone.localdate(h.expires_at)
        ]
        if bed.now_occupied:
            occupancy = bed.now_occupied[0]
            states.append(BedState(bed, "occupied", stay=occupancy.stay, occupancy=occupancy))
        elif not bed.in_service_on(today):
            states.append(BedState(bed, "out_of_service"))
        elif held:
            states.append(BedState(bed, "held", hold=held[0]))
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
