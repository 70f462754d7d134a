"""Risk assessments and safety plans."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling import reviews
from counselling.models import (
    RISK_INDICATORS,
    Case,
    CaseActivity,
    RiskAssessment,
    RiskLevel,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
)
from counselling.services._common import (
    FOLLOW_UP_AFTER_HIGH_RISK,
    _activity,
    _must_be_open,
    _not_in_past,
)
from ngo.accounts.models import Branch, User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.versions import bump_version

# The levels at which a safety plan may need the branch manager's approval.
URGENT_LEVELS = (RiskLevel.HIGH, RiskLevel.SEVERE)


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
    bump_version(case, risk_level=level, updated_at=now)
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


def _plans_need_approval(case: Case) -> bool:
    """Read afresh: the setting is the branch's as it is now."""
    return Branch.objects.filter(pk=case.branch_id, high_risk_plan_needs_approval=True).exists()


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
    if case.risk_level in URGENT_LEVELS and _plans_need_approval(case):
        review = reviews.reviewer(reviews.SAFETY_PLAN)
        if review is not None:
            review(actor=actor, plan=plan)
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
    bump_version(plan, next_review_on=next_review_on)
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
