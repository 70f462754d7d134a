"""Volume data: the shelters of the branches, their rooms and beds, and the stays
of ten years, one after another on each bed."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import timedelta

from counselling.shelters.models import (
    Bed,
    BedKind,
    BedOccupancy,
    DischargeDestination,
    Room,
    Shelter,
    Stay,
)
from ngo.accounts.roles import Role
from ngo.volume import spread, weighted

ORDER = 40

DESTINATIONS = {
    DischargeDestination.INDEPENDENT: 35,
    DischargeDestination.HOME: 20,
    DischargeDestination.OTHER_SHELTER: 15,
    DischargeDestination.RETURNED: 10,
    DischargeDestination.HOSPITAL: 5,
    DischargeDestination.UNKNOWN: 15,
}


def seed(plan) -> None:
    rng, writer, today = plan.rng, plan.writer, plan.today
    branches = plan.made["local_branches"]
    shelter_rows, room_rows, bed_rows = [], [], []
    adult_beds: list[tuple[int, int]] = []  # (bed id, shelter id)
    shelter_branch = {}
    shelter_ids = writer.ids(Shelter, plan.volume.shelters)
    for number, shelter_id in enumerate(shelter_ids):
        branch_id = branches[number % len(branches)]
        shelter_branch[shelter_id] = branch_id
        shelter_rows.append(
            writer.row(
                Shelter,
                id=shelter_id,
                branch_id=branch_id,
                name=f"Shelter {number + 1}",
                address=f"Address of shelter {number + 1}",
                max_stay_days=180,
            )
        )
        for room_number in range(rng.randint(3, 5)):
            room_id = writer.ids(Room, 1)[0]
            room_rows.append(
                writer.row(Room, id=room_id, shelter_id=shelter_id, name=f"{room_number + 1}01")
            )
            kinds = [BedKind.ADULT] * rng.randint(2, 4) + [BedKind.COT]
            for bed_number, kind in enumerate(kinds):
                bed_id = writer.ids(Bed, 1)[0]
                bed_rows.append(
                    writer.row(
                        Bed, id=bed_id, room_id=room_id, label=f"{chr(65 + bed_number)}", kind=kind
                    )
                )
                if kind == BedKind.ADULT:
                    adult_beds.append((bed_id, shelter_id))
    writer.insert(Shelter, shelter_rows)
    writer.insert(Room, room_rows)
    writer.insert(Bed, bed_rows)

    # Cases of each branch by opening date: a stay goes to a case opened before it.
    by_branch = defaultdict(list)
    for case_id, (client_id, branch_id, opened, _closed, _status, _staff) in plan.made[
        "cases"
    ].items():
        by_branch[branch_id].append((opened, case_id, client_id))
    for cases in by_branch.values():
        cases.sort()
    workers = plan.made["staff"]
    stays, occupancies, open_clients = [], [], set()
    stay_ids = iter(writer.ids(Stay, plan.volume.stays))
    for (bed_id, shelter_id), count in zip(
        adult_beds, spread(rng, plan.volume.stays, len(adult_beds), minimum=0), strict=True
    ):
        if not count:
            continue
        branch_id = shelter_branch[shelter_id]
        cases = by_branch[branch_id]
        staff = workers[branch_id].get(Role.SHELTER_WORKER) or workers[branch_id][Role.COUNSELLOR]
        # The beds fill from the branch's first case on.
        start = cases[0][0] if cases else today
        span = max((today - start).days, 1)
        slot = max(span // count, 1)
        for number in range(count):
            admitted = start + timedelta(days=number * slot + rng.randint(0, max(slot // 4, 0)))
            length = rng.randint(max(slot // 3, 1), max(slot * 3 // 4, 1))
            left = admitted + timedelta(days=length)
            last = number == count - 1
            position = bisect.bisect_right(cases, (admitted, float("inf"), 0))
            if not position:
                continue
            _opened, case_id, client_id = cases[rng.randint(max(0, position - 200), position - 1)]
            still_here = last and left >= today and client_id not in open_clients
            if still_here:
                open_clients.add(client_id)
            discharged = None if still_here else min(left, today)
            stay_id = next(stay_ids)
            stays.append(
                writer.row(
                    Stay,
                    id=stay_id,
                    client_id=client_id,
                    case_id=case_id,
                    shelter_id=shelter_id,
                    bed_id=bed_id,
                    admitted_on=admitted,
                    expected_leave_on=admitted + timedelta(days=180),
                    children_count=0,
                    discharged_on=discharged,
                    destination=weighted(rng, DESTINATIONS) if discharged else "",
                    created_by_id=rng.choice(staff),
                    created_at=plan.moment(admitted, admitted),
                )
            )
            occupancies.append(
                writer.row(
                    BedOccupancy,
                    stay_id=stay_id,
                    bed_id=bed_id,
                    starts_on=admitted,
                    ends_on=discharged,
                )
            )
    writer.insert(Stay, stays)
    writer.add(BedOccupancy, occupancies)
