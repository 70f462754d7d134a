"""Opening a case, its details, its counsellors and its status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling import reviews
from counselling.models import (
    Case,
    CaseActivity,
    CaseStatus,
    CaseStatusChange,
    Client,
)
from counselling.services._common import (
    CASE_FIELDS,
    _activity,
    _check_assignees,
    _check_branch,
    _pick,
)
from ngo.accounts.models import Branch, User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.changes import apply_changes
from ngo.lib.versions import claim_version


@transaction.atomic
def case_open(
    *,
    actor: User,
    client: Client,
    branch: Branch | None = None,
    assigned: Iterable[User] = (),
    **values,
) -> Case:
    """A further matter for a woman already registered."""
    branch = branch or client.branch
    _check_branch(actor, branch)
    case = Case(client=client, branch=branch, created_by=actor, **_pick(values, CASE_FIELDS))
    case.full_clean()
    assignees = _check_assignees(branch, assigned or [actor])
    case.save()
    case.assigned.set(assignees)
    CaseStatusChange.objects.create(case=case, to_status=case.status, changed_by=actor)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=case,
        fields=sorted(_pick(values, CASE_FIELDS)) + ["assigned"],
    )
    _activity(
        kind=CaseActivity.Kind.CASE_OPENED,
        actor=actor,
        client=client,
        case=case,
        obj=case,
        label=",".join(case.case_types),
    )
    return case


@transaction.atomic
def case_update(*, actor: User, case: Case, expected_version: int | None = None, **values) -> Case:
    """Her case's types, restriction and summary; refused (StaleVersion) when
    the case was saved after `expected_version`."""
    values = _pick(values, ("case_types", "restricted", "summary"))
    changed = apply_changes(
        case, values, ("case_types", "restricted", "summary"), expected_version=expected_version
    )
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=case, fields=changed)
        _activity(
            kind=CaseActivity.Kind.CASE_UPDATED,
            actor=actor,
            client=case.client,
            case=case,
            obj=case,
            label=",".join(sorted(changed)),
        )
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, users: Iterable[User]) -> Case:
    users = _check_assignees(case.branch, users)
    if not users:
        raise ValidationError({"assigned": _("A case needs at least one assigned person.")})
    before = set(case.assigned.values_list("pk", flat=True))
    if before != {u.pk for u in users}:
        case.assigned.set(users)
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=case, fields=["assigned"])
        _activity(
            kind=CaseActivity.Kind.ASSIGNED, actor=actor, client=case.client, case=case, obj=case
        )
    return case


_ALLOWED_MOVES = {
    (CaseStatus.INTAKE, CaseStatus.ACTIVE),
    (CaseStatus.INTAKE, CaseStatus.CLOSED),
    (CaseStatus.ACTIVE, CaseStatus.CLOSED),
    (CaseStatus.CLOSED, CaseStatus.ACTIVE),  # reopen
}


@transaction.atomic
def case_change_status(
    *,
    actor: User,
    case: Case,
    to: str,
    closed_on: date | None = None,
    closure_reason: str = "",
    closure_note: str | None = None,
    approved: bool = False,
) -> Case:
    """intake -> active -> closed, and reopen (closed -> active); who and when kept.
    The instance passed in is brought up to date too.

    Where the case's branch wants its manager to approve closures, a closure
    not yet `approved` is recorded as a request for her instead (counselling.
    reviews) and the case stays as it is: the caller sees its status unchanged."""
    given, case = case, Case.objects.select_for_update().get(pk=case.pk)
    if (case.status, to) not in _ALLOWED_MOVES:
        raise ValidationError(
            {
                "status": _("A case cannot go from %(a)s to %(b)s.")
                % {
                    "a": case.get_status_display(),
                    "b": CaseStatus(to).label if to in CaseStatus.values else to,
                }
            }
        )
    previous = case.status
    fields = ["status"]
    if to == CaseStatus.CLOSED:
        closed_on = closed_on or timezone.localdate()
        if closed_on < case.opened_on:
            raise ValidationError({"closed_on": _("A case cannot close before it opened.")})
        if closed_on > timezone.localdate():
            raise ValidationError({"closed_on": _("The closing date cannot be in the future.")})
        if not closure_reason:
            raise ValidationError({"closure_reason": _("Give the reason for closing.")})
        if not approved and case.branch.closure_needs_approval:
            review = reviews.reviewer(reviews.CLOSURE)
            if review is None:
                raise ValidationError(
                    _("Closing a case at this branch needs the branch manager's approval.")
                )
            review(
                actor=actor,
                case=case,
                closed_on=closed_on,
                closure_reason=closure_reason,
                closure_note=closure_note,
            )
            return given
        case.closed_on, case.closure_reason, case.closure_note = (
            closed_on,
            closure_reason,
            closure_note,
        )
        fields += ["closed_on", "closure_reason", "closure_note"]
    elif previous == CaseStatus.CLOSED:
        case.closed_on, case.closure_reason = None, ""
        fields += ["closed_on", "closure_reason"]
    case.status = to
    case.full_clean()
    claim_version(case)
    case.save(update_fields=[*fields, "updated_at", "version"])
    CaseStatusChange.objects.create(
        case=case, from_status=previous, to_status=to, changed_by=actor, reason=closure_reason
    )
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=case, fields=fields, reason=f"{previous}->{to}"
    )
    _activity(
        kind=CaseActivity.Kind.STATUS,
        actor=actor,
        client=case.client,
        case=case,
        obj=case,
        label=f"{previous}->{to}",
    )
    for name in [*fields, "updated_at", "version"]:
        setattr(given, name, getattr(case, name))
    return case
