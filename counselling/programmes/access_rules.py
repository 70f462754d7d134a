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
from ngo.access import Need, routes
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


# --- Routes (see ngo.access.routes) ---------------------------------------------------
# Facilitators may be volunteers: every signed-in person passes the gate, and
# the programme's rule decides.


def _sets_up_any(user, _obj) -> bool:
    return may_set_up(user)


routes.register(
    {
        "programmes:programme_list": routes.page_with_forms(write_check=_sets_up_any),
        "programmes:programme_detail": routes.page(record=Programme),
        "programmes:programme_edit": routes.form(record=Programme),
        "programmes:class_add": routes.action(record=Programme),
        "programmes:enrolment_add": routes.action(record=Programme),
        "programmes:attendance_print": routes.page(record=Programme),
        "programmes:attendance_csv": routes.page(record=Programme),
        "programmes:attendance_xlsx": routes.page(record=Programme),
        "programmes:attendance_take": routes.action(record=ClassSession),
        "programmes:enrolment_withdraw": routes.action(record=Enrolment),
        "api:programme-list": routes.api_list(Programme, write_check=_sets_up_any),
        "api:programme-detail": routes.api_detail(Programme),
        "api:programme-attendance": routes.api_action(Programme, method="GET"),
        "api:programme-attendance-csv": routes.api_action(Programme, method="GET"),
        "api:programme-attendance-xlsx": routes.api_action(Programme, method="GET"),
        "api:class-session-list": routes.api_list(ClassSession),
        "api:class-session-detail": routes.api_detail(ClassSession, write=()),
        "api:class-session-attendance": routes.api_action(ClassSession),
        "api:enrolment-list": routes.api_list(Enrolment),
        "api:enrolment-detail": routes.api_detail(Enrolment, write=()),
        "api:enrolment-withdraw": routes.api_action(Enrolment),
    }
)
