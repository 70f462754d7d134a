"""The field lists and helpers that several kinds of write share."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import (
    Case,
    CaseActivity,
    CaseStatus,
    Client,
)
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Capability
from ngo.audit.services import object_type_of

CLIENT_FIELDS = (
    "name_original",
    "name_romanised",
    "birth_date",
    "estimated_age",
    "nationality",
    "languages",
    "interpreter_needed",
    "residence_status",
    "visa_expiry",
    "marital_status",
    "phone",
    "address",
    "safe_contact",
    "narrative",
)
CASE_FIELDS = ("case_types", "restricted", "summary", "opened_on")
SESSION_FIELDS = (
    "started_at",
    "duration_minutes",
    "mode",
    "language",
    "interpreter_name",
    "interpreter_organisation",
    "services",
    "notes",
    "follow_up_on",
)
EVENT_FIELDS = ("kind", "starts_at", "place", "notes", "done")
CHILD_FIELDS = ("first_name", "birth_date", "age", "lives_with_client", "notes")
OVERRIDE_MIN_LENGTH = 15
FOLLOW_UP_AFTER_HIGH_RISK = timedelta(hours=48)


def _pick(values: dict, allowed: Iterable[str]) -> dict:
    return {k: v for k, v in values.items() if k in allowed}


def _activity(*, kind, actor, client, case=None, obj=None, label="") -> None:
    CaseActivity.objects.create(
        client=client,
        case=case,
        kind=kind,
        actor=actor,
        object_type=object_type_of(obj) if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        label=label[:100],
    )


def _refresh_phone_index(client: Client) -> None:
    client.refresh_blind_indexes()


def _not_in_past(value: date | None, field: str) -> None:
    if value is not None and value < timezone.localdate():
        raise ValidationError({field: _("This date is in the past.")})


def _check_branch(actor: User, branch: Branch) -> None:
    if not actor.works_at(branch):
        raise ValidationError({"branch": _("You do not work at this branch.")})


def _check_assignees(case_branch: Branch, users: Iterable[User]) -> list[User]:
    users = list(users)
    for user in users:
        if not (user.is_active and user.can(Capability.READ_CASES) and user.works_at(case_branch)):
            raise ValidationError(
                {
                    "assigned": _("%(name)s cannot be assigned to a case of this branch.")
                    % {"name": user.full_name}
                }
            )
    return users


def _must_be_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed. Reopen it first."))
