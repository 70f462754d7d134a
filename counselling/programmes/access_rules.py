"""Who may see and change programme records.

- Facilitators (volunteers among them) run their own programmes: classes,
  enrolments, the register.
- The case workers of the branch read its programmes; branch managers and
  administrators also change them.
- Setting a programme up is the one rule of counselling.access_rules.may_set_up:
  branch managers and administrators, at their branches.
"""

from django.db.models import Q

from counselling.access_rules import any_of, branches_q, may_set_up, require_set_up
from counselling.programmes.models import Attendance, ClassSession, Enrolment, Programme
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability

__all__ = ["may_set_up", "require_set_up"]


def _programme_q(user, need: Need, prefix: str) -> Q | None:
    own = Q(**{f"{prefix}facilitator": user})
    if need is Need.WRITE:
        if may_set_up(user):
            return any_of(own, branches_q(user, f"{prefix}branch_id"))
        return own
    if user.can(Capability.READ_CASES):
        return any_of(own, branches_q(user, f"{prefix}branch_id"))
    return own


def _programme_rule(prefix: str):
    def rule(user, need: Need) -> Q | None:
        return _programme_q(user, need, prefix)

    return rule


access.rule(Programme)(_programme_rule(""))
access.rule(ClassSession)(_programme_rule("programme__"))
access.rule(Enrolment)(_programme_rule("programme__"))
access.rule(Attendance)(_programme_rule("session__programme__"))
