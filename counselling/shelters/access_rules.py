"""Who may see and change shelter records.

- Shelter records need READ_SHELTER to read and WRITE_SHELTER to write, at her
  own branches (all of them for administrators).
- A stay is also read by the case workers of its case.
- Setting a shelter up (the shelter, its rooms and beds) is the one rule of
  counselling.access_rules.may_set_up: branch managers and administrators.
  Shelter workers run it: stays, moves, discharges, holds, rooms and beds out
  of service (and their labels).
- A bed request is read by the workers of its case (who made it) and by the
  staff who run the shelter asked (WRITE_SHELTER at its branch); the case side
  may cancel it, the shelter side accept or decline it.
- The free-beds screen holds counts only: every counsellor and shelter worker
  sees it, whatever her branch.
"""

from django.db.models import Q

from counselling.access_rules import any_of, branches_q, may_set_up, require_set_up, visible_cases
from counselling.models import Case
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


@access.rule(BedRequest)
def bed_request_rule(user, need: Need) -> Q | None:
    """Her reasons are for those who run the shelter asked, not all who read it."""
    at_shelter = _shelter_q(user, Need.WRITE, "shelter__")
    cases = access.condition(user, Case, need)
    of_my_cases = None if cases is None else Q(case__in=Case.objects.filter(cases).values("pk"))
    if at_shelter is None:
        return of_my_cases
    return at_shelter if of_my_cases is None else any_of(at_shelter, of_my_cases)


def may_decide(user, bed_request: BedRequest) -> bool:
    """Accept or decline: the staff who run the shelter asked."""
    return access.can(user, bed_request.shelter, Need.WRITE)


def may_cancel(user, bed_request: BedRequest) -> bool:
    return access.can(user, bed_request.case, Need.WRITE)


def may_request_beds(user) -> bool:
    """Ask a shelter for beds (for a case she may change): the counsellors."""
    return user.can(Capability.WRITE_CASES)


def reads_bed_requests(user) -> bool:
    """Given some bed requests to read by their rule (the case's workers, the
    staff of the shelter asked)."""
    return access.condition(user, BedRequest, Need.READ) is not None


def may_see_free_beds(user) -> bool:
    return user.can(Capability.WRITE_CASES) or user.can(Capability.WRITE_SHELTER)


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


_sees_free_beds = routes.Gate("places women in shelters", may_see_free_beds)
_requests_beds = routes.has(Capability.WRITE_CASES)
_reads_requests = routes.readers(BedRequest)


def _may_request_beds(user, _obj) -> bool:
    return may_request_beds(user)


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
        "shelters:shelter_edit": routes.form(
            gate=_reads_shelters, record=Shelter, write_check=_sets_up_shelter
        ),
        "shelters:room_edit": routes.form(gate=_reads_shelters, record=Room),
        "shelters:bed_edit": routes.form(gate=_reads_shelters, record=Bed),
        "shelters:free_beds": routes.page(gate=_sees_free_beds),
        "shelters:bed_request_list": routes.page(gate=_reads_requests),
        "shelters:bed_request_new": routes.form(gate=_requests_beds),
        "shelters:bed_request_detail": routes.page(gate=_reads_requests, record=BedRequest),
        "shelters:bed_request_accept": routes.action(
            gate=_reads_requests, record=BedRequest, write_check=may_decide
        ),
        "shelters:bed_request_decline": routes.action(
            gate=_reads_requests, record=BedRequest, write_check=may_decide
        ),
        "shelters:bed_request_cancel": routes.action(
            gate=_reads_requests, record=BedRequest, write_check=may_cancel
        ),
        "shelters:stay_detail": routes.page(gate=_reads_stays, record=Stay),
        "shelters:stay_move": routes.action(gate=_reads_stays, record=Stay),
        "shelters:stay_discharge": routes.action(gate=_reads_stays, record=Stay),
        "shelters:stay_expected_leave": routes.action(gate=_reads_stays, record=Stay),
        "api:shelter-list": routes.api_list(Shelter, write_check=_sets_up_any),
        "api:shelter-detail": routes.api_detail(Shelter, write_check=_sets_up_shelter),
        "api:shelter-board": routes.api_action(Shelter, method="GET"),
        "api:room-list": routes.api_list(Room, on_parent=True),
        "api:room-detail": routes.api_detail(Room),
        "api:shelter-availability": routes.api_action(
            method="GET", record=False, gate=_sees_free_beds
        ),
        "api:bed-list": routes.api_list(Bed, on_parent=True),
        "api:bed-detail": routes.api_detail(Bed),
        "api:stay-list": routes.api_list(Stay, on_parent=True),
        "api:stay-detail": routes.api_detail(Stay),
        "api:stay-move": routes.api_action(Stay),
        "api:stay-discharge": routes.api_action(Stay),
        "api:bed-hold-list": routes.api_list(BedHold, on_parent=True),
        "api:bed-hold-detail": routes.api_detail(BedHold, write=()),
        "api:bed-hold-release": routes.api_action(BedHold),
        "api:bed-request-list": routes.api_list(
            BedRequest, on_parent=True, gate=_reads_requests, write_check=_may_request_beds
        ),
        "api:bed-request-detail": routes.api_detail(BedRequest, write=(), gate=_reads_requests),
        "api:bed-request-accept": routes.api_action(
            BedRequest, gate=_reads_requests, write_check=may_decide
        ),
        "api:bed-request-decline": routes.api_action(
            BedRequest, gate=_reads_requests, write_check=may_decide
        ),
        "api:bed-request-cancel": routes.api_action(
            BedRequest, gate=_reads_requests, write_check=may_cancel
        ),
    }
)
