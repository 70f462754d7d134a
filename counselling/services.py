"""Every write on case data. Each service is atomic, takes the acting user,
validates before it saves (nothing half-saved), writes its audit event and its
timeline line in the same transaction.

Callers (views, API, admin, tasks) fetch records through ngo.access first;
services check what only they can know (workflow, consent, the target branch).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import (
    REFERRAL_TRANSITIONS,
    RISK_INDICATORS,
    Case,
    CaseActivity,
    CaseCodeCounter,
    CaseEvent,
    CaseStatus,
    CaseStatusChange,
    Child,
    Client,
    Consent,
    ConsentPurpose,
    CounsellingSession,
    Document,
    DocumentKind,
    Referral,
    ReferralStatus,
    RiskAssessment,
    RiskLevel,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
    phone_index_of,
)
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, object_type_of
from ngo.lib import private_files
from ngo.lib.changes import apply_changes, changed_fields

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
    client.phone_index = phone_index_of(client.phone)


def _not_in_past(value: date | None, field: str) -> None:
    if value is not None and value < timezone.localdate():
        raise ValidationError({field: _("This date is in the past.")})


# --- Clients -----------------------------------------------------------------------


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
) -> tuple[Client, Case]:
    """Register a woman and open her first case, in one go."""
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
    new_client.phone_index = phone_index_of(new_client.phone)
    new_client.full_clean(exclude=["case_code"])
    children = list(children)
    new_case = Case(client=new_client, branch=branch, created_by=actor, **_pick(case, CASE_FIELDS))
    new_case.full_clean(exclude=["client"])
    assignees = _check_assignees(branch, assigned or [actor])
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
    return new_client, new_case


@transaction.atomic
def client_update(*, actor: User, client: Client, **values) -> Client:
    values = _pick(values, CLIENT_FIELDS)
    changed = apply_changes(client, values, CLIENT_FIELDS, before_save=_refresh_phone_index)
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
def child_update(*, actor: User, child: Child, **values) -> Child:
    values = _pick(values, CHILD_FIELDS)
    changed = apply_changes(child, values, CHILD_FIELDS)
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=child, fields=changed)
    return child


@transaction.atomic
def child_remove(*, actor: User, child: Child) -> None:
    audit_record(action=AuditAction.DELETE, actor=actor, obj=child)
    child.delete()


# --- Cases ---------------------------------------------------------------------------


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
def case_update(*, actor: User, case: Case, **values) -> Case:
    values = _pick(values, ("case_types", "restricted", "summary"))
    changed = apply_changes(case, values, ("case_types", "restricted", "summary"))
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
) -> Case:
    """intake -> active -> closed, and reopen (closed -> active); who and when kept.
    The instance passed in is brought up to date too."""
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
    case.save(update_fields=[*fields, "updated_at"])
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
    for name in [*fields, "updated_at"]:
        setattr(given, name, getattr(case, name))
    return case


# --- Sessions and key dates ---------------------------------------------------------------


def _must_be_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed. Reopen it first."))


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
def session_update(*, actor: User, session: CounsellingSession, **values) -> CounsellingSession:
    values = _pick(values, SESSION_FIELDS)
    if "follow_up_on" in changed_fields(session, values, SESSION_FIELDS):
        _not_in_past(values["follow_up_on"], "follow_up_on")
    changed = apply_changes(session, values, SESSION_FIELDS)
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
def case_event_update(*, actor: User, event: CaseEvent, **values) -> CaseEvent:
    values = _pick(values, EVENT_FIELDS)
    changed = apply_changes(event, values, EVENT_FIELDS)
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=event, fields=changed)
    return event


# --- Risk and safety ---------------------------------------------------------------------


def risk_score(answers: dict[str, bool]) -> tuple[int, str]:
    """Weighted sum of the indicators, and its level. Threats to kill together
    with a weapon or strangulation is severe whatever the sum."""
    unknown = set(answers) - set(RISK_INDICATORS)
    if unknown:
        raise ValidationError(
            {
                "answers": _("Unknown indicator(s): %(names)s.")
                % {"names": ", ".join(sorted(unknown))}
            }
        )
    score = sum(weight for name, (weight, _label) in RISK_INDICATORS.items() if answers.get(name))
    lethal = answers.get("threats_to_kill") and (
        answers.get("weapon") or answers.get("strangulation")
    )
    if lethal or score >= 13:
        level = RiskLevel.SEVERE
    elif score >= 8:
        level = RiskLevel.HIGH
    elif score >= 4:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
    return score, level


@transaction.atomic
def risk_assess(
    *, actor: User, case: Case, answers: dict[str, bool], notes: str | None = None
) -> RiskAssessment:
    """Score the checklist. High or severe sets a follow-up within 48 hours and
    opens a safety plan if the case has none."""
    _must_be_open(case)
    answers = {name: bool(answers.get(name)) for name in RISK_INDICATORS} | {
        k: v for k, v in answers.items() if k not in RISK_INDICATORS
    }
    score, level = risk_score(answers)
    now = timezone.now()
    urgent = level in (RiskLevel.HIGH, RiskLevel.SEVERE)
    assessment = RiskAssessment.objects.create(
        case=case,
        assessed_by=actor,
        assessed_at=now,
        answers=answers,
        score=score,
        level=level,
        follow_up_by=now + FOLLOW_UP_AFTER_HIGH_RISK if urgent else None,
        notes=notes,
    )
    case.risk_level = level
    case.save(update_fields=["risk_level", "updated_at"])
    audit_record(
        action=AuditAction.CREATE, actor=actor, obj=assessment, fields=["answers", "level"]
    )
    _activity(
        kind=CaseActivity.Kind.RISK,
        actor=actor,
        client=case.client,
        case=case,
        obj=assessment,
        label=level,
    )
    if urgent and not case.safety_plans.filter(is_active=True).exists():
        safety_plan_create(
            actor=actor,
            case=case,
            risk_assessment=assessment,
            next_review_on=(now + FOLLOW_UP_AFTER_HIGH_RISK).date(),
        )
    return assessment


@transaction.atomic
def safety_plan_create(
    *,
    actor: User,
    case: Case,
    items: Iterable[dict] = (),
    next_review_on: date | None = None,
    notes: str | None = None,
    risk_assessment: RiskAssessment | None = None,
) -> SafetyPlan:
    _not_in_past(next_review_on, "next_review_on")
    case.safety_plans.filter(is_active=True).update(is_active=False)
    plan = SafetyPlan.objects.create(
        case=case,
        created_by=actor,
        next_review_on=next_review_on,
        notes=notes,
        risk_assessment=risk_assessment,
    )
    for item in items:
        safety_plan_item_add(actor=actor, plan=plan, audit=False, **item)
    audit_record(action=AuditAction.CREATE, actor=actor, obj=plan, fields=["items"])
    _activity(
        kind=CaseActivity.Kind.SAFETY_PLAN,
        actor=actor,
        client=case.client,
        case=case,
        obj=plan,
        label="created",
    )
    return plan


@transaction.atomic
def safety_plan_item_add(
    *,
    actor: User,
    plan: SafetyPlan,
    action: str,
    responsible: str,
    due_on: date | None = None,
    audit: bool = True,
) -> SafetyPlanItem:
    _not_in_past(due_on, "due_on")
    item = SafetyPlanItem(plan=plan, action=action, responsible=responsible, due_on=due_on)
    item.full_clean()
    item.save()
    if audit:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=plan, fields=["items"])
    return item


@transaction.atomic
def safety_plan_item_set_done(*, actor: User, item: SafetyPlanItem, done: bool) -> SafetyPlanItem:
    if item.done != done:
        item.done = done
        item.save(update_fields=["done"])
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=item.plan, fields=["items"])
    return item


@transaction.atomic
def safety_plan_review(
    *, actor: User, plan: SafetyPlan, note: str | None = None, next_review_on: date | None = None
) -> SafetyPlanReview:
    _not_in_past(next_review_on, "next_review_on")
    review = SafetyPlanReview.objects.create(plan=plan, reviewed_by=actor, note=note)
    plan.next_review_on = next_review_on
    plan.save(update_fields=["next_review_on"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=plan, fields=["reviews", "next_review_on"]
    )
    _activity(
        kind=CaseActivity.Kind.SAFETY_PLAN,
        actor=actor,
        client=plan.case.client,
        case=plan.case,
        obj=plan,
        label="reviewed",
    )
    return review


# --- Consent and referrals ----------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    client: Client,
    purpose: str,
    given: bool,
    explanation_language: str,
    organisation_kinds: Iterable[str] = (),
    decided_on: date | None = None,
    signed_form: Document | None = None,
) -> Consent:
    """Record a decision; a withdrawal is `given=False` and applies at once to
    everything that checks consent (new referrals, statistics, advocacy)."""
    kinds = list(organisation_kinds)
    if purpose == ConsentPurpose.SHARE_REFERRAL and given and not kinds:
        raise ValidationError(
            {"organisation_kinds": _("Say which kinds of organisation she agreed to.")}
        )
    if decided_on and decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The date cannot be in the future.")})
    if signed_form is not None and signed_form.client_id != client.pk:
        raise ValidationError({"signed_form": _("That document belongs to someone else.")})
    consent = Consent(
        client=client,
        purpose=purpose,
        given=given,
        organisation_kinds=kinds,
        explanation_language=explanation_language,
        recorded_by=actor,
        decided_on=decided_on or timezone.localdate(),
        signed_form=signed_form,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=consent,
        fields=["purpose", "given"],
        reason=f"{purpose}:{'given' if given else 'no'}",
    )
    _activity(
        kind=CaseActivity.Kind.CONSENT,
        actor=actor,
        client=client,
        obj=consent,
        label=f"{purpose}:{'given' if given else 'withdrawn'}",
    )
    return consent


def consent_in_force(client: Client, purpose: str) -> Consent | None:
    """The newest decision for the purpose, if it is a yes."""
    latest = client.consents.filter(purpose=purpose).order_by("-recorded_at", "-id").first()
    return latest if latest is not None and latest.given else None


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Case,
    organisation,
    reason: str | None = None,
    shares_personal_data: bool = True,
    override_reason: str = "",
    sent_on: date | None = None,
) -> Referral:
    """Refer her to an organisation. Sharing her data needs her consent for that
    kind of organisation, or an override with a reason (audited)."""
    _must_be_open(case)
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    consent = None
    override_reason = (override_reason or "").strip()
    if shares_personal_data:
        in_force = consent_in_force(case.client, ConsentPurpose.SHARE_REFERRAL)
        if in_force is not None and organisation.kind in in_force.organisation_kinds:
            consent, override_reason = in_force, ""
        elif len(override_reason) < OVERRIDE_MIN_LENGTH:
            raise ValidationError(
                {
                    "override_reason": _(
                        "She has not consented to sharing her data with this kind of organisation. "
                        "Record her consent first, or explain in at least %(n)d characters why it "
                        "must be shared without it."
                    )
                    % {"n": OVERRIDE_MIN_LENGTH}
                }
            )
    else:
        override_reason = ""
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    referral = Referral(
        case=case,
        organisation=organisation,
        reason=reason,
        shares_personal_data=shares_personal_data,
        consent=consent,
        consent_override_reason=override_reason,
        sent_on=sent_on,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=referral,
        fields=["organisation", "shares_personal_data"],
        reason="consent_override" if override_reason else "",
    )
    _activity(
        kind=CaseActivity.Kind.REFERRAL,
        actor=actor,
        client=case.client,
        case=case,
        obj=referral,
        label=f"{organisation.kind}:sent",
    )
    return referral


@transaction.atomic
def referral_change_status(
    *, actor: User, referral: Referral, to: str, on: date | None = None
) -> Referral:
    allowed = REFERRAL_TRANSITIONS.get(referral.status, set())
    if to not in allowed:
        raise ValidationError(
            {
                "status": _("A referral cannot go from %(a)s to %(b)s.")
                % {"a": referral.get_status_display(), "b": to}
            }
        )
    on = on or timezone.localdate()
    if on < referral.sent_on or on > timezone.localdate():
        raise ValidationError({"on": _("The date must be between sending and today.")})
    if to in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        referral.responded_on = on
    if to == ReferralStatus.COMPLETED:
        referral.completed_on = on
    referral.status = to
    referral.full_clean()
    referral.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=referral, fields=["status"], reason=to)
    _activity(
        kind=CaseActivity.Kind.REFERRAL,
        actor=actor,
        client=referral.case.client,
        case=referral.case,
        obj=referral,
        label=f"{referral.organisation.kind}:{to}",
    )
    return referral


# --- Documents ------------------------------------------------------------------------------

ALLOWED_TYPES = {
    "application/pdf": DocumentKind.PDF,
    "image/jpeg": DocumentKind.IMAGE,
    "image/png": DocumentKind.IMAGE,
    "image/gif": DocumentKind.IMAGE,
    "image/webp": DocumentKind.IMAGE,
    "image/heic": DocumentKind.IMAGE,
    "image/tiff": DocumentKind.IMAGE,
    "application/msword": DocumentKind.OFFICE,
    "application/vnd.ms-excel": DocumentKind.OFFICE,
    "application/vnd.ms-powerpoint": DocumentKind.OFFICE,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DocumentKind.OFFICE,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": DocumentKind.OFFICE,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        DocumentKind.OFFICE
    ),
    "application/vnd.oasis.opendocument.text": DocumentKind.OFFICE,
    "application/vnd.oasis.opendocument.spreadsheet": DocumentKind.OFFICE,
}
# What each type may be called (the name must agree with the content).
_EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "image/heic": {"heic", "heif"},
    "image/tiff": {"tif", "tiff"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
    "application/vnd.ms-powerpoint": {"ppt"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
}


DOCUMENT_AREA = Document.file_area


def document_path(storage_name: str):
    return private_files.path(DOCUMENT_AREA, storage_name)


def document_upload(
    *,
    actor: User,
    client: Client,
    uploaded_file,
    title: str = "",
    case: Case | None = None,
    session: CounsellingSession | None = None,
) -> Document:
    """Check the file by its content, encrypt it, store it outside any public path."""
    if session is not None:
        case = session.case
    if case is not None and case.client_id != client.pk:
        raise ValidationError({"case": _("That case belongs to someone else.")})
    size = uploaded_file.size
    if size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    data = b"".join(uploaded_file.chunks())
    mime = private_files.detect_type(data[:8192])
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF, image and Office files can be uploaded; "
                    "this file's content is not one of them."
                )
            }
        )
    name = (uploaded_file.name or "").rsplit("/", 1)[-1][:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _EXTENSIONS[mime]:
        raise ValidationError(
            {
                "file": _("The file's name (.%(ext)s) does not match its content (%(kind)s).")
                % {"ext": extension or "?", "kind": sorted(_EXTENSIONS[mime])[0].upper()}
            }
        )
    with private_files.stored(DOCUMENT_AREA, data) as storage_name, transaction.atomic():
        document = Document(
            client=client,
            case=case,
            session=session,
            title=title or name,
            original_name=name,
            content_type=mime,
            kind=ALLOWED_TYPES[mime],
            size=size,
            sha256=hashlib.sha256(data).hexdigest(),
            storage_name=storage_name,
            uploaded_by=actor,
        )
        document.full_clean()
        document.save()
        audit_record(action=AuditAction.CREATE, actor=actor, obj=document, fields=["file", "title"])
        _activity(
            kind=CaseActivity.Kind.DOCUMENT,
            actor=actor,
            client=client,
            case=case,
            obj=document,
            label=document.kind,
        )
    return document


def document_content(document: Document) -> bytes:
    """The decrypted bytes. Callers fetch the document through the access module,
    which audits the read."""
    return private_files.read(DOCUMENT_AREA, document.storage_name)
