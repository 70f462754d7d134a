"""Writes on hotline calls: record, change, link to a case, unlink; each
audited. The rule that a call must not identify her is here, for the screens
and the API alike: advice that looks like a phone number is refused unless
`confirm_no_identifier` says the staff checked it identifies nobody."""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.hotline.identifiers import PHONE_WARNING, looks_like_phone_number
from counselling.hotline.models import HotlineCall
from counselling.models import Case
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, audit_record_many, audited_create, audited_update
from ngo.lib.versions import claim_version

CALL_FIELDS = (
    "started_at",
    "duration_minutes",
    "language",
    "interpreter",
    "caller_kind",
    "topics",
    "risk",
    "advice",
    "referrals",
    "wants_to_come_in",
)
DEFAULT_UNLINKED_CALL_YEARS = 3


def _check_no_identifier(values: dict, confirmed: bool) -> None:
    if not confirmed and looks_like_phone_number(values.get("advice")):
        raise ValidationError({"advice": str(PHONE_WARNING)})


def unknown_branch() -> ValidationError:
    return ValidationError({"branch": _("There is no such branch.")})


def _check_branch(actor: User, branch) -> None:
    if not actor.works_at(branch):
        raise ValidationError({"branch": _("You do not work at this branch.")})


@transaction.atomic
def call_record(
    *, actor: User, branch, confirm_no_identifier: bool = False, **values
) -> HotlineCall:
    """A new call at her branch, taken by her."""
    _check_branch(actor, branch)
    _check_no_identifier(values, confirm_no_identifier)
    return audited_create(
        HotlineCall,
        actor=actor,
        values=values,
        allowed=CALL_FIELDS,
        extra={"branch": branch, "staff": actor},
    )


@transaction.atomic
def call_update(
    *,
    actor: User,
    call: HotlineCall,
    expected_version: int | None = None,
    confirm_no_identifier: bool = False,
    **values,
) -> HotlineCall:
    if "advice" in values:
        _check_no_identifier(values, confirm_no_identifier)
    audited_update(
        call, actor=actor, values=values, allowed=CALL_FIELDS, expected_version=expected_version
    )
    return call


@transaction.atomic
def call_link(
    *, actor: User, call: HotlineCall, case: Case, expected_version: int | None = None
) -> HotlineCall:
    """Link the call to her case (one the caller may change, fetched so by the
    view); from now on the case's access rule decides who sees the call."""
    if call.case_id == case.pk:
        return call
    if call.case_id is not None:
        raise ValidationError({"case": _("The call is linked to another case: unlink it first.")})
    claim_version(call, expected_version)
    call.case = case
    call.save(update_fields=["case", "version"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=call, fields=["case"], reason="link")
    return call


@transaction.atomic
def call_unlink(
    *, actor: User, call: HotlineCall, expected_version: int | None = None
) -> HotlineCall:
    if call.case_id is None:
        raise ValidationError({"case": _("The call is not linked to a case.")})
    claim_version(call, expected_version)
    call.case = None
    call.save(update_fields=["case", "version"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=call, fields=["case"], reason="unlink")
    return call


def unlinked_call_years() -> int:
    return int(getattr(settings, "HOTLINE_UNLINKED_CALL_YEARS", DEFAULT_UNLINKED_CALL_YEARS))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def calls_purge_unlinked(*, today: date | None = None) -> int:
    """Delete the unlinked calls older than the retention period (no subject
    behind them: the retention app's rules are about clients and cases).
    Each deletion is audited; safe to run twice."""
    today = today or timezone.localdate()
    cutoff = _years_before(today, unlinked_call_years())
    moment = timezone.make_aware(datetime.combine(cutoff, time.min))
    due = list(HotlineCall.objects.filter(case__isnull=True, started_at__lt=moment))
    if not due:
        return 0
    audit_record_many(
        action=AuditAction.DELETE, records=[(call, ()) for call in due], reason="retention"
    )
    HotlineCall.objects.filter(pk__in=[call.pk for call in due], case__isnull=True).delete()
    return len(due)


# --- Her file: the subject-access copy and destruction -------------------------------------


def scrub_calls_for_client(client) -> dict[str, int]:
    """Her linked calls keep their counted columns (branch, date, topics,
    language); the advice text is blanked."""
    calls = HotlineCall.objects.filter(case__client=client)
    return {"hotline.HotlineCall": calls.update(advice=None, version=F("version") + 1)}


def scrub_calls_for_case(case) -> dict[str, int]:
    calls = HotlineCall.objects.filter(case=case)
    return {"hotline.HotlineCall": calls.update(advice=None, version=F("version") + 1)}
