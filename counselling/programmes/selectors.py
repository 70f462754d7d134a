"""Reads on programmes, their classes, enrolments and attendance, scoped to the
person asking (`*_get` fetch one record through ngo.access: 404 outside her
scope, 403 where she may only read)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from counselling.programmes.models import ClassSession, Enrolment, EnrolmentStatus, Programme
from ngo import access
from ngo.access import Need


def _programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("branch", "facilitator")


def programme_list(*, user) -> QuerySet[Programme]:
    return access.scope(user, _programmes())


def programme_list_with_counts(*, user) -> QuerySet[Programme]:
    """Her programmes with their number of classes and of enrolments not withdrawn."""
    # Ordered explicitly: the model's ordering is not applied to a GROUP BY query.
    return (
        programme_list(user=user)
        .order_by(*Programme._meta.ordering, "id")
        .annotate(
            class_count=Count("sessions", distinct=True),
            enrolled_count=Count(
                "enrolments",
                filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN),
                distinct=True,
            ),
        )
    )


def programme_get(*, user, pk, need: Need = Need.READ, audit_read: bool = True) -> Programme:
    return access.get_for_user(user, _programmes(), pk, need, audit_read=audit_read)


def facilitated_by(*, user) -> QuerySet[Programme]:
    """The programmes she runs herself, newest first (her home page)."""
    return Programme.objects.filter(facilitator=user).order_by("-starts_on")


def class_session_list(*, user) -> QuerySet[ClassSession]:
    return access.scope(user, ClassSession.objects.all())


def class_session_get(*, user, pk, need: Need = Need.READ) -> ClassSession:
    sessions = ClassSession.objects.select_related("programme__branch", "programme__facilitator")
    return access.get_for_user(user, sessions, pk, need)


def enrolment_list(*, user) -> QuerySet[Enrolment]:
    return access.scope(user, Enrolment.objects.select_related("client"))


def enrolment_get(*, user, pk, need: Need = Need.READ) -> Enrolment:
    return access.get_for_user(user, Enrolment.objects.select_related("programme"), pk, need)


def attendance_sheet(*, programme: Programme) -> dict:
    """Rows of enrolments (case code or member name) by class session."""
    sessions = list(programme.sessions.all())
    enrolments = list(
        Enrolment.objects.filter(programme=programme)
        .select_related("client")
        .prefetch_related("attendances")
    )
    rows = []
    for enrolment in enrolments:
        marks = {a.session_id: a.present for a in enrolment.attendances.all()}
        attended = sum(1 for present in marks.values() if present)
        rows.append(
            {
                "enrolment": enrolment,
                "who": enrolment.client.case_code if enrolment.client_id else enrolment.member_name,
                "marks": [marks.get(s.pk) for s in sessions],
                "attended": attended,
                "rate": round(100 * attended / len(sessions)) if sessions else 0,
            }
        )
    return {"programme": programme, "sessions": sessions, "rows": rows}
