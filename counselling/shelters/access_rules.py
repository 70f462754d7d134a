"""Who may see and change shelter records.

- Shelter records need READ_SHELTER to read and WRITE_SHELTER to write, at her
  own branches (all of them for administrators).
- A stay is also read by the case workers of its case.
- Setting a shelter up (the shelter, its rooms and beds) is the one rule of
  counselling.access_rules.may_set_up: branch managers and administrators.
  Shelter workers run it: stays, moves, discharges, holds, beds out of service.
"""

from django.db.models import Q

from counselling.access_rules import any_of, branches_q, may_set_up, require_set_up, visible_cases
from counselling.shelters.models import Bed, BedHold, BedOccupancy, Room, Shelter, Stay
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability

__all__ = ["may_set_up", "require_set_up"]


def _shelter_q(user, need: Need, prefix: str) -> Q | None:
    capability = Capability.READ_SHELTER if need is Need.READ else Capability.WRITE_SHELTER
    if not user.can(capability):
        return None
    return branches_q(user, f"{prefix}branch_id")


def _shelter_rule(prefix: str):
    def rule(user, need: Need) -> Q | None:
        return _shelter_q(user, need, prefix)

    return rule


access.rule(Shelter)(_shelter_rule(""))
access.rule(Room)(_shelter_rule("shelter__"))
access.rule(Bed)(_shelter_rule("room__shelter__"))
access.rule(BedHold)(_shelter_rule("bed__room__shelter__"))


@access.rule(Stay)
def stay_rule(user, need: Need) -> Q | None:
    """Shelter staff see the stays of their shelters; counsellors the stays of
    the cases they can see."""
    in_shelter = _shelter_q(user, need, "shelter__")
    if need is Need.WRITE:
        return in_shelter
    of_my_cases = (
        Q(case__in=visible_cases(user).values("pk")) if user.can(Capability.READ_CASES) else None
    )
    if in_shelter is None:
        return of_my_cases
    return in_shelter if of_my_cases is None else any_of(in_shelter, of_my_cases)


@access.rule(BedOccupancy)
def occupancy_rule(user, need: Need) -> Q | None:
    stays = access.scope(user, Stay, need)
    return Q(stay__in=stays.values("pk"))


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_shelters = routes.has(Capability.READ_SHELTER)
# Stays are read by shelter staff and by the case workers of their cases.
_reads_stays = routes.Gate(
    "reads stays",
    lambda user: user.can(Capability.READ_SHELTER) or user.can(Capability.READ_CASES),
)


def _sets_up_any(user, _obj) -> bool:
    return may_set_up(user)


def _sets_up_shelter(user, shelter) -> bool:
    return may_set_up(user, shelter.branch)


routes.register(
    {
        "shelters:shelter_list": routes.page_with_forms(
            gate=_reads_shelters, write_check=_sets_up_any
        ),
        "shelters:shelter_board": routes.page(gate=_reads_shelters, record=Shelter),
        "shelters:room_add": routes.action(
            gate=_reads_shelters, record=Shelter, write_check=_sets_up_shelter
        ),
        "shelters:bed_add": routes.action(
            gate=_reads_shelters, record=Shelter, write_check=_sets_up_shelter
        ),
        "shelters:bed_admit": routes.form(gate=_reads_shelters, record=Bed),
        "shelters:bed_hold": routes.action(gate=_reads_shelters, record=Bed),
        "shelters:bed_service": routes.action(gate=_reads_shelters, record=Bed),
        "shelters:hold_release": routes.action(gate=_reads_shelters, record=BedHold),
        "shelters:stay_detail": routes.page(gate=_reads_stays, record=Stay),
        "shelters:stay_move": routes.action(gate=_reads_stays, record=Stay),
        "shelters:stay_discharge": routes.action(gate=_reads_stays, record=Stay),
        "shelters:stay_expected_leave": routes.action(gate=_reads_stays, record=Stay),
        "api:shelter-list": routes.api_list(Shelter, write_check=_sets_up_any),
        "api:shelter-detail": routes.api_detail(Shelter, write_check=_sets_up_shelter),
        "api:shelter-board": routes.api_action(Shelter, method="GET"),
        "api:room-list": routes.api_list(Room, on_parent=True),
        "api:room-detail": routes.api_detail(Room, write=()),
        "api:bed-list": routes.api_list(Bed, on_parent=True),
        "api:bed-detail": routes.api_detail(Bed),
        "api:stay-list": routes.api_list(Stay, on_parent=True),
        "api:stay-detail": routes.api_detail(Stay),
        "api:stay-move": routes.api_action(Stay),
        "api:stay-discharge": routes.api_action(Stay),
        "api:bed-hold-list": routes.api_list(BedHold, on_parent=True),
        "api:bed-hold-detail": routes.api_detail(BedHold, write=()),
        "api:bed-hold-release": routes.api_action(BedHold),
    }
)
