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

from counselling.models import Client
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


def _may_hold_someone(user) -> bool:
    return _administers(user) or _manages(user)


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_rules_gate = routes.Gate("reads retention rules", reads_rules)
_batches_gate = routes.Gate("manages a branch or administers", reads_batches)
_records_gate = routes.Gate("reads destruction records", reads_records)
_holds_gate = routes.Gate("sets legal holds", _may_hold_someone)


def _register_routes():
    routes.register(
        {
            "retention:rule_list": routes.page(gate=_rules_gate),
            "retention:rule_edit": routes.form(gate=_rules_gate, record=RetentionRule),
            "retention:client_holds": routes.page_with_forms(gate=_holds_gate, record=Client),
            "retention:hold_release": routes.action(gate=_holds_gate, record=LegalHold),
            "retention:batch_list": routes.page_with_forms(gate=_batches_gate),
            "retention:batch_detail": routes.page(gate=_batches_gate, record=DestructionBatch),
            "retention:batch_approve": routes.action(gate=_batches_gate, record=DestructionBatch),
            "retention:item_exclude": routes.action(gate=_batches_gate, record=DestructionBatch),
            "retention:record_list": routes.page(gate=_records_gate),
            "retention:record_detail": routes.page(gate=_records_gate, record=DestructionRecord),
            "api:retention-rule-list": routes.api_list(
                RetentionRule, create=False, gate=_rules_gate
            ),
            "api:retention-rule-detail": routes.api_detail(RetentionRule, gate=_rules_gate),
            "api:legal-hold-list": routes.api_list(LegalHold, on_parent=True, gate=_holds_gate),
            "api:legal-hold-detail": routes.api_detail(LegalHold, write=(), gate=_holds_gate),
            "api:legal-hold-release": routes.api_action(LegalHold, gate=_holds_gate),
            "api:destruction-batch-list": routes.api_list(DestructionBatch, gate=_batches_gate),
            "api:destruction-batch-detail": routes.api_detail(
                DestructionBatch, write=(), gate=_batches_gate
            ),
            "api:destruction-batch-approve": routes.api_action(
                DestructionBatch, gate=_batches_gate
            ),
            "api:destruction-batch-exclude": routes.api_action(
                DestructionBatch, gate=_batches_gate
            ),
            "api:destruction-record-list": routes.api_list(
                DestructionRecord, create=False, gate=_records_gate
            ),
            "api:destruction-record-detail": routes.api_detail(
                DestructionRecord, write=(), gate=_records_gate
            ),
        }
    )


_register_routes()
