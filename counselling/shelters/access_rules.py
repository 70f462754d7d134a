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
from ngo.access import Need
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
