"""Counselling sessions and a case's key dates."""

from __future__ import annotations

from django.db import transaction

from counselling.models import (
    Case,
    CaseActivity,
    CaseEvent,
    CaseStatus,
    CounsellingSession,
)
from counselling.services._common import (
    EVENT_FIELDS,
    SESSION_FIELDS,
    _activity,
    _must_be_open,
    _not_in_past,
    _pick,
)
from counselling.services.cases import case_change_status
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.changes import apply_changes, changed_fields


@transaction.atomic
def session_record(
    *, actor: User, case: Case, staff: User | None = None, **values
) -> CounsellingSession:
    _must_be_open(case)
    values = _pick(values, SESSION_FIELDS)
    _not_in_past(values.get("follow_up_on"), "follow_up_on")
    session = CounsellingSession(case=case, staff=staff or actor, **values)
    session.full_clean()
    session.save()
    if case.status == CaseStatus.INTAKE:
        case_change_status(actor=actor, case=case, to=CaseStatus.ACTIVE)
    audit_record(action=AuditAction.CREATE, actor=actor, obj=session, fields=sorted(values))
    _activity(
        kind=CaseActivity.Kind.SESSION,
        actor=actor,
        client=case.client,
        case=case,
        obj=session,
        label=session.mode,
    )
    return session


@transaction.atomic
def session_update(
    *, actor: User, session: CounsellingSession, expected_version: int | None = None, **values
) -> CounsellingSession:
    values = _pick(values, SESSION_FIELDS)
    if "follow_up_on" in changed_fields(session, values, SESSION_FIELDS):
        _not_in_past(values["follow_up_on"], "follow_up_on")
    changed = apply_changes(session, values, SESSION_FIELDS, expected_version=expected_version)
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=session, fields=changed)
    return session


@transaction.atomic
def case_event_add(*, actor: User, case: Case, **values) -> CaseEvent:
    _must_be_open(case)
    values = _pick(values, EVENT_FIELDS)
    event = CaseEvent(case=case, created_by=actor, **values)
    event.full_clean()
    event.save()
    audit_record(action=AuditAction.CREATE, actor=actor, obj=event, fields=sorted(values))
    _activity(
        kind=CaseActivity.Kind.EVENT,
        actor=actor,
        client=case.client,
        case=case,
        obj=event,
        label=event.kind,
    )
    return event


@transaction.atomic
def case_event_update(
    *, actor: User, event: CaseEvent, expected_version: int | None = None, **values
) -> CaseEvent:
    values = _pick(values, EVENT_FIELDS)
    changed = apply_changes(event, values, EVENT_FIELDS, expected_version=expected_version)
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=event, fields=changed)
    return event
