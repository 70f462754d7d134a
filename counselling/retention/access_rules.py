"""Who may see and change retention records.

- Retention rules: administrators change them; administrators, branch
  managers and auditors read them.
- Legal holds: the branch managers of her branch and administrators read,
  set and release them.
- Destruction batches (which name clients by case code): the branch managers
  of the branch and administrators. Administrators propose; a branch manager
  approves (the service asks that she did not propose it).
- Destruction records (carried-out batches: counts, dates, people; never a
  case code): administrators and auditors.
"""

from django.db.models import Q

from counselling.retention.models import (
    BatchStatus,
    DestructionBatch,
    DestructionRecord,
    LegalHold,
    RetentionRule,
)
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability


def _manages(user) -> bool:
    return user.can(Capability.MANAGE_BRANCH)


def _administers(user) -> bool:
    return user.can(Capability.MANAGE_STAFF)


def reads_rules(user) -> bool:
    return _administers(user) or _manages(user) or user.can(Capability.READ_AUDIT)


def reads_batches(user) -> bool:
    return _administers(user) or _manages(user)


def reads_records(user) -> bool:
    return _administers(user) or user.can(Capability.READ_AUDIT)


@access.rule(RetentionRule)
def rule_rule(user, need: Need) -> Q | None:
    if need is Need.WRITE:
        return Q() if _administers(user) else None
    return Q() if reads_rules(user) else None


@access.rule(LegalHold)
def hold_rule(user, need: Need) -> Q | None:
    if _administers(user):
        return Q()
    if _manages(user):
        return Q(client__branch_id__in=user.branch_ids())
    return None


@access.rule(DestructionBatch)
def batch_rule(user, need: Need) -> Q | None:
    if _administers(user):
        return Q()
    if _manages(user):
        return Q(branch_id__in=user.branch_ids())
    return None


@access.rule(DestructionRecord)
def record_rule(user, need: Need) -> Q | None:
    if need is Need.READ and reads_records(user):
        return Q(status=BatchStatus.EXECUTED)
    return None
