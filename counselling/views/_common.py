"""What the counselling screens share: labels, the case page and its actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from counselling import case_panels, forms, selectors, timeline_labels
from counselling.access_rules import may_see_caseload
from counselling.models import (
    REFERRAL_TRANSITIONS,
    RISK_INDICATORS,
    Case,
    CaseActivity,
    CaseEventKind,
    CaseStatus,
    CaseType,
    Client,
    ConsentPurpose,
    DocumentKind,
    ReferralStatus,
    RiskLevel,
    Service,
    SessionMode,
)
from ngo import access
from ngo.access import Need
from ngo.access.views import audit_reshown, capability_required
from ngo.accounts.roles import Capability
from ngo.directory.models import OrganisationKind
from ngo.lib.forms import add_service_errors

AREA = "counselling"
SEARCH_PAGE_SIZE = 25
CASELOAD_PAGE_SIZE = 50
URGENT_LEVELS = (RiskLevel.HIGH, RiskLevel.SEVERE)

reads_cases = capability_required(Capability.READ_CASES, area=AREA)


def _choice_label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _type_labels(case: Case) -> list[str]:
    return [_choice_label(CaseType, value) for value in case.case_types]


def _with_labels(cases):
    for case in cases:
        case.type_labels = _type_labels(case)
    return cases


def _activity_label(activity: CaseActivity) -> str:
    """The timeline label in words: the services store short codes, and a code
    nobody can read is left out rather than shown raw."""
    words = _activity_words(activity)
    return "" if timeline_labels.is_code(words) else words


def _activity_words(activity: CaseActivity) -> str:
    kind, label = activity.kind, activity.label
    kinds = CaseActivity.Kind
    registered = timeline_labels.read(label) if ":" in label else None
    if registered is not None:
        return registered
    if kind == kinds.CASE_OPENED:
        return ", ".join(_choice_label(CaseType, v) for v in label.split(",") if v)
    if kind == kinds.STATUS and "->" in label:
        before, after = label.split("->", 1)
        return " → ".join(_choice_label(CaseStatus, v) for v in (before, after) if v)
    if kind == kinds.RISK:
        return _choice_label(RiskLevel, label)
    if kind == kinds.SESSION:
        return _choice_label(SessionMode, label)
    if kind == kinds.EVENT:
        return _choice_label(CaseEventKind, label)
    if kind == kinds.DOCUMENT:
        return _choice_label(DocumentKind, label)
    if kind == kinds.REFERRAL and ":" in label:
        org_kind, status = label.split(":", 1)
        return (
            f"{_choice_label(OrganisationKind, org_kind)}: {_choice_label(ReferralStatus, status)}"
        )
    if kind == kinds.CONSENT and ":" in label:
        purpose, decision = label.split(":", 1)
        word = _("given") if decision == "given" else _("refused or withdrawn")
        return f"{_choice_label(ConsentPurpose, purpose)}: {word}"
    if kind == kinds.SAFETY_PLAN:
        return {"created": _("created"), "reviewed": _("reviewed")}.get(label, label)
    registered = case_panels.timeline_kind(kind)
    if registered is not None:
        return registered.label(label) if registered.label and label else label
    if kind in (kinds.CLIENT_UPDATED, kinds.CASE_UPDATED):
        model = Client if kind == kinds.CLIENT_UPDATED else Case
        names = []
        for name in label.split(","):
            try:
                names.append(str(model._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:  # a renamed field still shows its code
                names.append(name)
        return ", ".join(names)
    return label


def _activity_link(activity: CaseActivity, case: Case) -> str:
    """Where a timeline line leads: a page, or the section of the case page."""
    object_id = activity.object_id
    if not object_id:
        return ""
    case_url = reverse("counselling:case_detail", args=[case.pk])
    links = {
        "counselling.case": lambda: reverse("counselling:case_detail", args=[object_id]),
        "counselling.client": lambda: reverse("counselling:client_detail", args=[object_id]),
        "counselling.document": lambda: reverse("counselling:document_download", args=[object_id]),
        "counselling.consent": lambda: (
            reverse("counselling:client_detail", args=[case.client_id]) + "#consent"
        ),
        "counselling.counsellingsession": lambda: f"{case_url}#session-{object_id}",
        "counselling.caseevent": lambda: f"{case_url}#key-dates",
        "counselling.riskassessment": lambda: f"{case_url}#risk",
        "counselling.safetyplan": lambda: f"{case_url}#safety-plan",
        "counselling.referral": lambda: f"{case_url}#referral-{object_id}",
        "transfers.transfer": lambda: f"{case_url}#transfers",
    }
    if activity.object_type == "counselling.case" and object_id == str(case.pk):
        return ""  # this very page
    registered = case_panels.timeline_kind(activity.kind)
    if registered is not None and registered.anchor:
        return f"{case_url}#{registered.anchor}"
    make = links.get(activity.object_type)
    return make() if make else ""


def _redirect_to_case(case_id: int, anchor: str = ""):
    url = reverse("counselling:case_detail", args=[case_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _case_page(request, case: Case, **bound):
    # Every panel asks whether she may write the case: once to the database.
    with access.remembering():
        return _draw_case_page(request, case, **bound)


def _draw_case_page(request, case: Case, **bound):
    user = request.user
    audit_reshown(request, case)
    can_write = access.can(user, case, Need.WRITE)
    page = selectors.case_page(user=user, case=case)
    timeline = page["timeline"]
    held_at = {str(session.pk): session.started_at for session in page["sessions"]}
    for activity in timeline:
        activity.display_label = _activity_label(activity)
        activity.link = _activity_link(activity, case)
        if activity.kind == CaseActivity.Kind.SESSION:
            activity.held_at = held_at.get(activity.object_id)
    latest = page["latest_assessment"]
    for referral in page["referrals"]:
        allowed = REFERRAL_TRANSITIONS.get(referral.status, set())
        referral.next_statuses = [(v, label) for v, label in ReferralStatus.choices if v in allowed]
    for session in page["sessions"]:
        session.language_name = forms.language_label(session.language) if session.language else ""
        session.service_labels = [_choice_label(Service, v) for v in session.services]
    if latest is not None:
        latest.indicator_labels = [
            label for name, (_w, label) in RISK_INDICATORS.items() if latest.answers.get(name)
        ]
    is_open = case.status != CaseStatus.CLOSED
    context = {
        "case": case,
        "client": case.client,
        "type_labels": _type_labels(case),
        "can_write": can_write,
        "is_open": is_open,
        **page,
        "urgent": latest is not None and latest.level in URGENT_LEVELS,
        "status_form": forms.CaseStatusForm(prefix="status", initial={"to": CaseStatus.CLOSED}),
        "session_form": forms.SessionForm(prefix="session", case=case),
        "event_form": forms.CaseEventForm(prefix="event"),
        "risk_form": forms.RiskForm(prefix="risk"),
        "plan_form": forms.SafetyPlanForm(prefix="plan"),
        "item_form": forms.SafetyPlanItemForm(prefix="item"),
        "review_form": forms.SafetyPlanReviewForm(prefix="review"),
        "referral_status_form": None,
        "document_form": forms.TypedDocumentForm(prefix="document"),
        "panels": case_panels.panels_for(user, case),
        **bound,
    }
    failed = [form for form in bound.values() if getattr(form, "has_errors", False)]
    context["has_errors"] = bool(failed)
    # Shown at the top too: the form may sit far down the page, or be hidden
    # (e.g. the session form of a case that was closed meanwhile).
    context["top_errors"] = [error for form in failed for error in form.non_field_errors()]
    return render(request, "counselling/case_detail.html", context)


# Drawn when opened (the assign form lists the branch's staff, the referral form
# every organisation she may refer to); shown bound, in the page, with errors.
case_panels.register_form("assign", lambda user, case: forms.AssignForm(prefix="assign", case=case))
case_panels.register_form(
    "referral", lambda user, case: forms.ReferralForm(prefix="referral", user=user)
)


def _case_for(request, pk: int, need: Need = Need.WRITE) -> Case:
    # Read for its page, which then asks whether she may write it: both in one query.
    knowing = Need.WRITE if need is Need.READ else None
    return access.get_for_user(request.user, selectors.case_queryset(), pk, need, knowing=knowing)


def _case_action(
    request, pk: int, form_class, key: str, call, *, success, anchor, form_kwargs=None
):
    """The shape of every case-page form: validate, call the service, redirect
    with a message; or show the page again with the errors (nothing saved).
    `form_kwargs(case)` gives the form's extra arguments."""
    case = _case_for(request, pk)
    extra = form_kwargs(case) if form_kwargs else {}
    form = form_class(request.POST, request.FILES or None, prefix=key, **extra)
    if form.is_valid():
        try:
            result = call(case, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
            case = _case_for(request, pk)  # the service may have changed the instance
        else:
            messages.success(request, success(result) if callable(success) else success)
            return _redirect_to_case(case.pk, anchor)
    return _case_page(request, case, **{f"{key}_form": form})


def _may_see_caseload(user) -> bool:
    return may_see_caseload(user)
