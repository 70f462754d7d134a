"""Who may see and change case data. One rule per record type; the records
hanging off a case or a client follow the rule of their case or client.

- Case contents need the READ_CASES capability (counsellors, shelter workers,
  branch managers, administrators); coordinators, policy officers, auditors and
  volunteers see none.
- Own branches only, unless the role sees all branches (administrators).
- A restricted case: only its assigned staff and the managers of its branch.
- Writing needs WRITE_CASES (shelter workers read only).
"""

from django.db.models import Q

from counselling.models import (
    Attendance,
    Bed,
    BedHold,
    BedOccupancy,
    Case,
    CaseActivity,
    CaseEvent,
    CaseStatusChange,
    Child,
    ClassSession,
    Client,
    Consent,
    CounsellingSession,
    Document,
    Enrolment,
    Programme,
    Referral,
    RiskAssessment,
    Room,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
    Shelter,
    Stay,
)
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability

_NOTHING = None


def _may(user, need: Need) -> bool:
    if not user.can(Capability.READ_CASES):
        return False
    return need is Need.READ or user.can(Capability.WRITE_CASES)


def _branches(user, field: str) -> Q:
    if user.can(Capability.ALL_BRANCHES):
        return Q()
    return Q(**{f"{field}__in": user.branch_ids()})


def _case_q(user) -> Q:
    mine = Case.assigned.through.objects.filter(user_id=user.pk).values("case_id")
    open_to_me = Q(restricted=False) | Q(pk__in=mine)
    if user.can(Capability.MANAGE_BRANCH):
        open_to_me |= Q(branch_id__in=user.branch_ids())
    return _branches(user, "branch_id") & open_to_me


def visible_cases(user):
    return Case.objects.filter(_case_q(user))


def _any_of(first: Q, second: Q) -> Q:
    """first OR second. An empty Q (all branches) means everything, but Q's `|`
    drops an empty operand and would keep only the other condition."""
    if not first or not second:
        return Q()
    return first | second


def _client_q(user) -> Q:
    cases = visible_cases(user)
    hidden = Case.objects.filter(restricted=True).exclude(pk__in=cases.values("pk"))
    return _any_of(_branches(user, "branch_id"), Q(pk__in=cases.values("client_id"))) & ~Q(
        pk__in=hidden.values("client_id")
    )


@access.rule(Case)
def case_rule(user, need: Need) -> Q | None:
    if not _may(user, need):
        return _NOTHING
    return _case_q(user)


@access.rule(Client)
def client_rule(user, need: Need) -> Q | None:
    if not _may(user, need):
        return _NOTHING
    return _client_q(user)


def _on_case(prefix: str = "case"):
    def rule(user, need: Need) -> Q | None:
        if not _may(user, need):
            return _NOTHING
        return Q(**{f"{prefix}__in": visible_cases(user).values("pk")})

    return rule


def _on_client(user, need: Need) -> Q | None:
    if not _may(user, need):
        return _NOTHING
    return Q(client__in=Client.objects.filter(_client_q(user)).values("pk"))


def _on_client_or_case(user, need: Need) -> Q | None:
    """Records on a client and optionally one of her cases (documents, timeline)."""
    client_q = _on_client(user, need)
    if client_q is None:
        return _NOTHING
    return client_q & (Q(case__isnull=True) | Q(case__in=visible_cases(user).values("pk")))


for _model in (
    CounsellingSession,
    CaseEvent,
    RiskAssessment,
    SafetyPlan,
    Referral,
    CaseStatusChange,
):
    access.rule(_model)(_on_case())
access.rule(SafetyPlanItem)(_on_case("plan__case"))
access.rule(SafetyPlanReview)(_on_case("plan__case"))
access.rule(Child)(_on_client)
access.rule(Consent)(_on_client)
access.rule(Document)(_on_client_or_case)
access.rule(CaseActivity)(_on_client_or_case)


# --- Shelters and programmes ------------------------------------------------------------


def _shelter_q(user, need: Need, prefix: str) -> Q | None:
    """Shelter records: READ_SHELTER to read, WRITE_SHELTER to write, own branches
    (all for administrators)."""
    capability = Capability.READ_SHELTER if need is Need.READ else Capability.WRITE_SHELTER
    if not user.can(capability):
        return _NOTHING
    return _branches(user, f"{prefix}branch_id")


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
    return in_shelter if of_my_cases is None else _any_of(in_shelter, of_my_cases)


@access.rule(BedOccupancy)
def occupancy_rule(user, need: Need) -> Q | None:
    stays = access.scope(user, Stay, need)
    return Q(stay__in=stays.values("pk"))


def _programme_q(user, need: Need, prefix: str) -> Q | None:
    """Facilitators manage their own programmes; case workers of the branch read
    them; branch managers (and administrators) manage those of their branches."""
    own = Q(**{f"{prefix}facilitator": user})
    if need is Need.WRITE:
        if user.can(Capability.MANAGE_BRANCH) or user.can(Capability.MANAGE_STAFF):
            return _any_of(own, _branches(user, f"{prefix}branch_id"))
        return own
    if user.can(Capability.READ_CASES):
        return _any_of(own, _branches(user, f"{prefix}branch_id"))
    return own


def _programme_rule(prefix: str):
    def rule(user, need: Need) -> Q | None:
        return _programme_q(user, need, prefix)

    return rule


access.rule(Programme)(_programme_rule(""))
access.rule(ClassSession)(_programme_rule("programme__"))
access.rule(Enrolment)(_programme_rule("programme__"))
access.rule(Attendance)(_programme_rule("session__programme__"))
