"""Intake and the client's own record: her details and her children."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import (
    Case,
    CaseActivity,
    CaseCodeCounter,
    CaseStatusChange,
    Child,
    Client,
)
from counselling.services._common import (
    CASE_FIELDS,
    CHILD_FIELDS,
    CLIENT_FIELDS,
    _activity,
    _check_assignees,
    _check_branch,
    _pick,
    _refresh_phone_index,
)
from counselling.services.consents import consents_record
from ngo.accounts.models import Branch, User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.changes import apply_changes


@dataclass
class PossibleDuplicates(Exception):
    """Raised by intake when the client may already be known (and not confirmed)."""

    matches: list

    def __str__(self):
        return _("A client with the same name and birth date, or the same phone, exists.")


def _next_case_code(branch: Branch) -> str:
    """SEO-2026-0042: per branch and (Seoul) year, gap-free under concurrency."""
    year = timezone.localdate().year
    for _attempt in range(3):
        updated = CaseCodeCounter.objects.filter(branch=branch, year=year).update(
            last_number=F("last_number") + 1
        )
        if updated:
            number = CaseCodeCounter.objects.get(branch=branch, year=year).last_number
            return f"{branch.code}-{year}-{number:04d}"
        try:
            with transaction.atomic():
                CaseCodeCounter.objects.create(branch=branch, year=year, last_number=1)
            return f"{branch.code}-{year}-0001"
        except IntegrityError:
            continue  # another intake created the counter first
    raise RuntimeError("could not allocate a case code")


def _save_children(client: Client, children: Iterable[dict]) -> None:
    for values in children:
        child = Child(client=client, **_pick(values, CHILD_FIELDS))
        child.full_clean()
        child.save()


@transaction.atomic
def client_intake(
    *,
    actor: User,
    branch: Branch,
    client: dict,
    case: dict,
    children: Iterable[dict] = (),
    assigned: Iterable[User] = (),
    confirm_not_duplicate: bool = False,
    consents: Iterable[dict] = (),
    consent_language: str = "",
    interpreter_explained: bool = False,
) -> tuple[Client, Case]:
    """Register a woman and open her first case, in one go, with the consent
    decisions she made at intake (`consents`: purpose, given, organisation
    kinds; explained in `consent_language`). Nothing is saved unless all is."""
    from counselling.selectors import client_possible_duplicates

    _check_branch(actor, branch)
    values = _pick(client, CLIENT_FIELDS)
    if not confirm_not_duplicate:
        matches = client_possible_duplicates(
            user=actor,
            name_original=values.get("name_original", ""),
            name_romanised=values.get("name_romanised", ""),
            birth_date=values.get("birth_date"),
            phone=values.get("phone"),
        )
        if matches:
            raise PossibleDuplicates(matches)
    new_client = Client(branch=branch, created_by=actor, case_code="pending", **values)
    new_client.refresh_blind_indexes()
    new_client.full_clean(exclude=["case_code"])
    children = list(children)
    new_case = Case(client=new_client, branch=branch, created_by=actor, **_pick(case, CASE_FIELDS))
    new_case.full_clean(exclude=["client"])
    assignees = _check_assignees(branch, assigned or [actor])
    consents = list(consents)
    if consents and not consent_language:
        raise ValidationError(
            {"consent_language": _("Say in which language the consent was explained.")}
        )
    new_client.case_code = _next_case_code(branch)
    new_client.save()
    _save_children(new_client, children)
    new_case.client = new_client
    new_case.save()
    new_case.assigned.set(assignees)
    CaseStatusChange.objects.create(case=new_case, to_status=new_case.status, changed_by=actor)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=new_client,
        fields=[k for k, v in values.items() if v not in (None, "", [])],
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=new_case,
        fields=sorted(_pick(case, CASE_FIELDS)) + ["assigned"],
    )
    _activity(
        kind=CaseActivity.Kind.CASE_OPENED,
        actor=actor,
        client=new_client,
        case=new_case,
        obj=new_case,
        label=",".join(new_case.case_types),
    )
    consents_record(
        actor=actor,
        client=new_client,
        decisions=consents,
        explanation_language=consent_language,
        interpreter_explained=interpreter_explained,
    )
    return new_client, new_case


@transaction.atomic
def client_update(
    *, actor: User, client: Client, expected_version: int | None = None, **values
) -> Client:
    """Her details; refused (StaleVersion) when her record was saved after
    `expected_version`."""
    values = _pick(values, CLIENT_FIELDS)
    changed = apply_changes(
        client,
        values,
        CLIENT_FIELDS,
        before_save=_refresh_phone_index,
        expected_version=expected_version,
    )
    if not changed:
        return client
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=client, fields=changed)
    _activity(
        kind=CaseActivity.Kind.CLIENT_UPDATED,
        actor=actor,
        client=client,
        obj=client,
        label=",".join(sorted(changed))[:100],
    )
    return client


@transaction.atomic
def child_add(*, actor: User, client: Client, **values) -> Child:
    child = Child(client=client, **_pick(values, CHILD_FIELDS))
    child.full_clean()
    child.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=child,
        fields=sorted(_pick(values, CHILD_FIELDS)),
    )
    return child


@transaction.atomic
def child_update(
    *, actor: User, child: Child, expected_version: int | None = None, **values
) -> Child:
    values = _pick(values, CHILD_FIELDS)
    changed = apply_changes(child, values, CHILD_FIELDS, expected_version=expected_version)
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=child, fields=changed)
    return child


@transaction.atomic
def child_remove(*, actor: User, child: Child) -> None:
    audit_record(action=AuditAction.DELETE, actor=actor, obj=child)
    child.delete()
