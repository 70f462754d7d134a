"""Risk assessments and safety plans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counselling import forms, services
from counselling.models import (
    Case,
    SafetyPlanItem,
)
from counselling.views._common import URGENT_LEVELS, _case_action, _redirect_to_case, reads_cases
from ngo import access
from ngo.access import Need


@reads_cases
@require_POST
def risk_add(request, pk: int):
    def call(case, form):
        return services.risk_assess(
            actor=request.user,
            case=case,
            answers=form.answers(),
            notes=form.cleaned_data["notes"] or None,
        )

    def success(assessment):
        text = _("Risk level: %(level)s (score %(score)d).") % {
            "level": assessment.get_level_display(),
            "score": assessment.score,
        }
        if assessment.level in URGENT_LEVELS:
            text += " " + _("Follow up within 48 hours; a safety plan is open.")
        return text

    return _case_action(request, pk, forms.RiskForm, "risk", call, success=success, anchor="risk")


@reads_cases
@require_POST
def safety_plan_add(request, pk: int):
    def call(case, form):
        return services.safety_plan_create(
            actor=request.user,
            case=case,
            next_review_on=form.cleaned_data["next_review_on"],
            notes=form.cleaned_data["notes"] or None,
        )

    return _case_action(
        request,
        pk,
        forms.SafetyPlanForm,
        "plan",
        call,
        success=_("The safety plan is open."),
        anchor="safety-plan",
    )


def _active_plan(case: Case):
    plan = case.safety_plans.filter(is_active=True).first()
    if plan is None:
        raise ValidationError(_("This case has no active safety plan."))
    return plan


@reads_cases
@require_POST
def safety_plan_item_add(request, pk: int):
    def call(case, form):
        return services.safety_plan_item_add(
            actor=request.user, plan=_active_plan(case), **form.cleaned_data
        )

    return _case_action(
        request,
        pk,
        forms.SafetyPlanItemForm,
        "item",
        call,
        success=_("The step is added to the safety plan."),
        anchor="safety-plan",
    )


@reads_cases
@require_POST
def safety_plan_review(request, pk: int):
    def call(case, form):
        return services.safety_plan_review(
            actor=request.user,
            plan=_active_plan(case),
            note=form.cleaned_data["note"] or None,
            next_review_on=form.cleaned_data["next_review_on"],
        )

    return _case_action(
        request,
        pk,
        forms.SafetyPlanReviewForm,
        "review",
        call,
        success=_("The review is recorded."),
        anchor="safety-plan",
    )


@reads_cases
@require_POST
def safety_plan_item_done(request, pk: int):
    item = access.get_for_user(
        request.user, SafetyPlanItem.objects.select_related("plan__case"), pk, Need.WRITE
    )
    form = forms.ItemDoneForm(request.POST)
    if form.is_valid():
        services.safety_plan_item_set_done(
            actor=request.user, item=item, done=form.cleaned_data["done"]
        )
    return _redirect_to_case(item.plan.case_id, "safety-plan")
