"""Writes on programmes, their classes, enrolments and attendance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import Client
from counselling.programmes.models import (
    Attendance,
    ClassSession,
    Enrolment,
    EnrolmentStatus,
    Programme,
)
from counselling.services import _check_branch
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, audited_create, audited_update

PROGRAMME_FIELDS = (
    "title_ko",
    "title_en",
    "description",
    "kind",
    "facilitator",
    "language",
    "interpreter_available",
    "completion_threshold",
    "starts_on",
    "ends_on",
    "archived",
)


@transaction.atomic
def programme_create(*, actor: User, branch, **values) -> Programme:
    _check_branch(actor, branch)
    return audited_create(
        Programme, actor=actor, values=values, allowed=PROGRAMME_FIELDS, extra={"branch": branch}
    )


@transaction.atomic
def programme_update(
    *, actor: User, programme: Programme, expected_version: int | None = None, **values
) -> Programme:
    audited_update(
        programme,
        actor=actor,
        values=values,
        allowed=PROGRAMME_FIELDS,
        expected_version=expected_version,
    )
    return programme


@transaction.atomic
def class_session_add(
    *, actor: User, programme: Programme, starts_at, place: str = "", topic: str = ""
) -> ClassSession:
    session = ClassSession(programme=programme, starts_at=starts_at, place=place, topic=topic)
    session.full_clean()
    session.save()
    audit_record(action=AuditAction.CREATE, actor=actor, obj=session, fields=["starts_at"])
    return session


@transaction.atomic
def enrol(
    *,
    actor: User,
    programme: Programme,
    client: Client | None = None,
    member_name: str = "",
    member_contact: str = "",
) -> Enrolment:
    """Enrol a client (by case code) or a community member without a case."""
    member_name = (member_name or "").strip()
    if programme.archived:
        raise ValidationError(_("This programme is archived: it takes no new enrolments."))
    if (client is None) == (not member_name):
        raise ValidationError(
            _("Enrol either a client (by case code) or a community member (by name).")
        )
    if client is not None and programme.enrolments.filter(client=client).exists():
        raise ValidationError({"client": _("She is already enrolled in this programme.")})
    enrolment = Enrolment(
        programme=programme,
        client=client,
        member_name=member_name or None,
        member_contact=(member_contact or "").strip() or None,
    )
    enrolment.full_clean()
    enrolment.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=enrolment,
        fields=["client" if client else "member_name"],
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor: User, enrolment: Enrolment) -> Enrolment:
    if enrolment.status != EnrolmentStatus.WITHDRAWN:
        enrolment.status = EnrolmentStatus.WITHDRAWN
        enrolment.save(update_fields=["status"])
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=enrolment, fields=["status"])
    return enrolment


def attendance_rate(enrolment: Enrolment) -> tuple[int, int]:
    """(sessions attended, sessions planned) for the enrolment's programme."""
    planned = enrolment.programme.sessions.count()
    attended = enrolment.attendances.filter(present=True).count()
    return attended, planned


@transaction.atomic
def attendance_record(
    *, actor: User, session: ClassSession, present: dict[int, bool]
) -> list[Attendance]:
    """Take the register of one class: {enrolment id: present}. Only for a class
    that has started; completes enrolments that reach the programme's threshold."""
    if session.starts_at > timezone.now():
        raise ValidationError({"session": _("This class has not happened yet.")})
    enrolments = {e.pk: e for e in session.programme.enrolments.filter(pk__in=list(present))}
    unknown = set(present) - set(enrolments)
    if unknown:
        raise ValidationError(
            {
                "present": _("Not enrolled in this programme: %(ids)s.")
                % {"ids": ", ".join(map(str, sorted(unknown)))}
            }
        )
    rows = []
    for enrolment_id, is_present in present.items():
        row, _created = Attendance.objects.update_or_create(
            enrolment_id=enrolment_id,
            session=session,
            defaults={"present": bool(is_present), "recorded_by": actor},
        )
        rows.append(row)
    threshold = session.programme.completion_threshold
    for enrolment in enrolments.values():
        attended, planned = attendance_rate(enrolment)
        done = planned and attended * 100 >= threshold * planned
        if done and enrolment.status == EnrolmentStatus.ENROLLED:
            enrolment.status, enrolment.completed_on = (
                EnrolmentStatus.COMPLETED,
                timezone.localdate(),
            )
            enrolment.save(update_fields=["status", "completed_on"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=session, fields=["attendance"])
    return rows
