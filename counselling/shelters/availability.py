"""Free beds across branches: per shelter, how many adult beds and cots are free
today and on each of the next days (as "Finding A Bed Tonight" does).

What leaves this module is counts, the shelter's public name and its branch:
never its address, a room or bed label, or anything about who sleeps there.
A bed is free on a day when it and its room are in service that day, no stay
occupies it that day (an open occupancy occupies every day to come), and no
unreleased hold keeps it (a hold counts up to the day it lapses)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from counselling.shelters.models import Bed, BedHold, BedKind, BedOccupancy, Shelter

DAYS = 8  # today and the next 7 days


@dataclass
class DayCount:
    day: date
    adult: int = 0
    cot: int = 0


@dataclass
class ShelterAvailability:
    shelter_id: int
    name: str
    branch_code: str
    branch_name: str
    region: str
    days: list[DayCount] = field(default_factory=list)


def _free_counts(shelters: list[Shelter], first: date, days: int) -> dict[int, list[DayCount]]:
    """{shelter id: [DayCount per day]}, in three queries whatever the number of beds."""
    last = first + timedelta(days=days - 1)
    ids = [s.pk for s in shelters]
    beds = list(
        Bed.objects.filter(room__shelter_id__in=ids)
        .select_related("room")
        .only(
            "id",
            "kind",
            "out_of_service",
            "out_of_service_until",
            "room__shelter_id",
            "room__out_of_service",
        )
    )
    taken: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    occupancies = BedOccupancy.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=first),
        bed__room__shelter_id__in=ids,
        starts_on__lte=last,
    ).values_list("bed_id", "starts_on", "ends_on")
    for bed_id, starts_on, ends_on in occupancies:
        taken[bed_id].append((starts_on, ends_on))
    now = timezone.now()
    held: dict[int, date] = {}
    holds = BedHold.objects.filter(
        bed__room__shelter_id__in=ids, released_at__isnull=True, expires_at__gt=now
    ).values_list("bed_id", "expires_at")
    for bed_id, expires_at in holds:
        held[bed_id] = max(held.get(bed_id, first), timezone.localdate(expires_at))
    counts = {s.pk: [DayCount(first + timedelta(days=n)) for n in range(days)] for s in shelters}
    for bed in beds:
        for count in counts[bed.room.shelter_id]:
            day = count.day
            if not bed.in_service_on(day):
                continue
            if any(s <= day and (e is None or e > day) for s, e in taken.get(bed.pk, ())):
                continue
            if bed.pk in held and day <= held[bed.pk]:
                continue
            if bed.kind == BedKind.COT:
                count.cot += 1
            else:
                count.adult += 1
    return counts


def free_beds(*, today: date | None = None, days: int = DAYS) -> list[ShelterAvailability]:
    """Every open shelter of every branch, by region then branch, with its free
    adult beds and cots for `days` days from today. Open to all who place women
    in shelters: it holds no personal data."""
    today = today or timezone.localdate()
    shelters = list(
        Shelter.objects.filter(is_active=True, branch__is_active=True)
        .select_related("branch")
        .order_by("branch__region", "branch__code", "name")
    )
    counts = _free_counts(shelters, today, days)
    return [
        ShelterAvailability(
            shelter_id=s.pk,
            name=s.shown_name,
            branch_code=s.branch.code,
            branch_name=str(s.branch),
            region=s.branch.region,
            days=counts[s.pk],
        )
        for s in shelters
    ]


def by_region(rows: list[ShelterAvailability]) -> list[tuple[str, list[ShelterAvailability]]]:
    groups: dict[str, list[ShelterAvailability]] = {}
    for row in rows:
        groups.setdefault(row.region, []).append(row)
    return list(groups.items())


def free_on(*, shelter: Shelter, day: date) -> DayCount:
    """The free adult beds and cots of one shelter on one day."""
    return _free_counts([shelter], day, 1)[shelter.pk][0]
