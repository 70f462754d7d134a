"""The counselling screens. Thin views: fetch through ngo.access (detail
reads are audited there), list through counselling.selectors, write through
counselling.services, re-render the form on a ValidationError."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling import forms, selectors, services
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
    Document,
    DocumentKind,
    Referral,
    ReferralStatus,
    RiskLevel,
    SafetyPlanItem,
    Service,
    SessionMode,
)
from ngo import access
from ngo.access import Need
from ngo.access.views import audit_reshown, capability_required
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.directory.models import OrganisationKind
from ngo.lib.forms import add_service_errors

AREA = "counselling"
SEARCH_PAGE_SIZE = 25
CASELOAD_PAGE_SIZE = 50
URGENT_LEVELS = (RiskLevel.HIGH, RiskLevel.SEVERE)

reads_cases = capability_required(Capability.READ_CASES, area=AREA)


# --- Display helpers ------------------------------------------------------------------------


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
    """The timeline label in words: the services store short codes."""
    kind, label = activity.kind, activity.label
    kinds = CaseActivity.Kind
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
    }
    if activity.object_type == "counselling.case" and object_id == str(case.pk):
        return ""  # this very page
    make = links.get(activity.object_type)
    return make() if make else ""


def _redirect_to_case(case_id: int, anchor: str = ""):
    url = reverse("counselling:case_detail", args=[case_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- Index and search -----------------------------------------------------------------------


@reads_cases
@require_http_methods(["GET", "POST"])
def index(request):
    cases = _with_labels(list(selectors.my_cases(user=request.user)))
    # The search is a POST: names and phone numbers must never sit in a URL
    # (browser history, proxy logs).
    query = request.POST.get("q", "").strip() if request.method == "POST" else ""
    page = None
    if query:
        clients, _filterset = selectors.client_list(user=request.user, filters={"q": query})
        page = Paginator(clients.order_by("-created_at", "-id"), SEARCH_PAGE_SIZE).get_page(
            request.POST.get("page")
        )
    return render(
        request,
        "counselling/index.html",
        {
            "cases": cases,
            "query": query,
            "page": page,
            "can_write": request.user.can(Capability.WRITE_CASES),
            "can_see_caseload": _may_see_caseload(request.user),
        },
    )


# --- Intake --------------------------------------------------------------------------------


@reads_cases
@require_http_methods(["GET", "POST"])
def intake(request):
    access.require_create(request.user, Client)
    data = request.POST if request.method == "POST" else None
    form = forms.IntakeForm(data, user=request.user)
    children = forms.ChildFormSet(data, prefix="children")
    duplicates = []
    if request.method == "POST" and form.is_valid() and children.is_valid():
        try:
            _client, case = services.client_intake(
                actor=request.user,
                branch=form.cleaned_data["branch"],
                client=form.client_values(),
                case=form.case_values(),
                children=forms.children_values(children),
                assigned=form.cleaned_data["assigned"],
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
            )
        except services.PossibleDuplicates as exc:
            duplicates = exc.matches
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(code)s is registered and her case is open.") % {"code": case.client.case_code},
            )
            return _redirect_to_case(case.pk)
    return render(
        request,
        "counselling/intake.html",
        {"form": form, "children": children, "duplicates": duplicates},
    )


# --- Clients --------------------------------------------------------------------------------


def _client_page(request, client: Client, **bound):
    user = request.user
    audit_reshown(request, client)
    cases = _with_labels(selectors.cases_of_client(user=user, client=client))
    documents = selectors.documents_of_client(user=user, client=client)
    consents = []
    for purpose, consent in selectors.consent_summary(client=client).items():
        if consent is not None:
            consent.kind_labels = [
                _choice_label(OrganisationKind, kind) for kind in consent.organisation_kinds
            ]
            consent.language_name = forms.language_label(consent.explanation_language)
        consents.append((ConsentPurpose(purpose).label, consent))
    can_write = access.can(user, client, Need.WRITE)
    context = {
        "client": client,
        "children": list(client.children.all()),
        "language_names": [forms.language_label(code) for code in client.languages],
        "consents": consents,
        "cases": cases,
        "documents": documents,
        "can_write": can_write,
        "consent_form": forms.ConsentForm(prefix="consent", client=client, user=user),
        "case_form": forms.CaseOpenForm(prefix="case", client=client, user=user),
        "document_form": forms.DocumentForm(prefix="document"),
        **bound,
    }
    return render(request, "counselling/client_detail.html", context)


@reads_cases
@require_GET
def client_detail(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)
    return _client_page(request, client)


@reads_cases
@require_http_methods(["GET", "POST"])
def client_edit(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    if request.method == "GET":
        audit_record(action=AuditAction.READ, actor=request.user, obj=client)
        form = forms.ClientEditForm(initial=forms.ClientEditForm.initial_for(client))
    else:
        form = forms.ClientEditForm(request.POST)
        if form.is_valid():
            try:
                services.client_update(actor=request.user, client=client, **form.client_values())
            except ValidationError as exc:
                client.refresh_from_db()
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Her details are saved."))
                return redirect("counselling:client_detail", client.pk)
    return render(request, "counselling/client_edit.html", {"client": client, "form": form})


@reads_cases
@require_POST
def client_document_add(request, pk: int):
    """A file of hers that belongs to no single case (passport copy, signed form)."""
    client = selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.DocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                client=client,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The document is stored."))
            return redirect(reverse("counselling:client_detail", args=[client.pk]) + "#documents")
    return _client_page(request, client, document_form=form)


@reads_cases
@require_POST
def consent_add(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.ConsentForm(request.POST, prefix="consent", client=client, user=request.user)
    if form.is_valid():
        try:
            services.consent_record(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Her decision is recorded."))
            return redirect(reverse("counselling:client_detail", args=[client.pk]) + "#consent")
    return _client_page(request, client, consent_form=form)


@reads_cases
@require_POST
def case_open(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.CaseOpenForm(request.POST, prefix="case", client=client, user=request.user)
    if form.is_valid():
        try:
            case = services.case_open(
                actor=request.user,
                client=client,
                assigned=form.cleaned_data["assigned"],
                **form.case_values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("A new case is open."))
            return _redirect_to_case(case.pk)
    return _client_page(request, client, case_form=form)


# --- Cases ----------------------------------------------------------------------------------


def _case_page(request, case: Case, **bound):
    user = request.user
    audit_reshown(request, case)
    can_write = access.can(user, case, Need.WRITE)
    page = selectors.case_page(user=user, case=case)
    timeline = page["timeline"]
    for activity in timeline:
        activity.display_label = _activity_label(activity)
        activity.link = _activity_link(activity, case)
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
        "assign_form": forms.AssignForm(prefix="assign", case=case),
        "session_form": forms.SessionForm(prefix="session", case=case),
        "event_form": forms.CaseEventForm(prefix="event"),
        "risk_form": forms.RiskForm(prefix="risk"),
        "plan_form": forms.SafetyPlanForm(prefix="plan"),
        "item_form": forms.SafetyPlanItemForm(prefix="item"),
        "review_form": forms.SafetyPlanReviewForm(prefix="review"),
        "referral_form": forms.ReferralForm(prefix="referral", user=user),
        "referral_status_form": None,
        "document_form": forms.DocumentForm(prefix="document"),
        **bound,
    }
    failed = [form for form in bound.values() if getattr(form, "has_errors", False)]
    context["has_errors"] = bool(failed)
    # Shown at the top too: the form may sit far down the page, or be hidden
    # (e.g. the session form of a case that was closed meanwhile).
    context["top_errors"] = [error for form in failed for error in form.non_field_errors()]
    return render(request, "counselling/case_detail.html", context)


def _case_for(request, pk: int, need: Need = Need.WRITE) -> Case:
    return access.get_for_user(request.user, selectors.case_queryset(), pk, need)


@reads_cases
@require_GET
def case_detail(request, pk: int):
    return _case_page(request, _case_for(request, pk, Need.READ))


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


@reads_cases
@require_POST
def case_status(request, pk: int):
    def call(case, form):
        return services.case_change_status(actor=request.user, case=case, **form.status_values())

    return _case_action(
        request,
        pk,
        forms.CaseStatusForm,
        "status",
        call,
        success=lambda case: (
            _("The case is now: %(status)s.") % {"status": case.get_status_display()}
        ),
        anchor="",
    )


@reads_cases
@require_POST
def case_assign(request, pk: int):
    def call(case, form):
        return services.case_assign(
            actor=request.user, case=case, users=form.cleaned_data["assigned"]
        )

    return _case_action(
        request,
        pk,
        forms.AssignForm,
        "assign",
        call,
        success=_("The assignment is saved."),
        anchor="",
        form_kwargs=lambda case: {"case": case},
    )


@reads_cases
@require_POST
def session_add(request, pk: int):
    def call(case, form):
        return services.session_record(actor=request.user, case=case, **form.cleaned_data)

    return _case_action(
        request,
        pk,
        forms.SessionForm,
        "session",
        call,
        success=_("The session is recorded."),
        anchor="sessions",
        form_kwargs=lambda case: {"case": case},
    )


@reads_cases
@require_POST
def event_add(request, pk: int):
    def call(case, form):
        return services.case_event_add(actor=request.user, case=case, **form.cleaned_data)

    return _case_action(
        request,
        pk,
        forms.CaseEventForm,
        "event",
        call,
        success=_("The date is added."),
        anchor="key-dates",
    )


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


@reads_cases
@require_POST
def referral_add(request, pk: int):
    def call(case, form):
        return services.referral_create(actor=request.user, case=case, **form.cleaned_data)

    return _case_action(
        request,
        pk,
        forms.ReferralForm,
        "referral",
        call,
        success=_("The referral is recorded."),
        anchor="referrals",
        form_kwargs=lambda case: {"user": request.user},
    )


@reads_cases
@require_POST
def referral_status(request, pk: int):
    referral = access.get_for_user(
        request.user, Referral.objects.select_related("organisation", "case"), pk, Need.WRITE
    )
    form = forms.ReferralStatusForm(request.POST)
    if form.is_valid():
        try:
            services.referral_change_status(
                actor=request.user, referral=referral, to=form.cleaned_data["to"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The referral is now: %(status)s.") % {"status": referral.get_status_display()},
            )
            return _redirect_to_case(referral.case_id, f"referral-{referral.pk}")
    case = _case_for(request, referral.case_id)
    return _case_page(request, case, referral_status_form=form)


@reads_cases
@require_POST
def document_add(request, pk: int):
    def call(case, form):
        return services.document_upload(
            actor=request.user,
            client=case.client,
            case=case,
            uploaded_file=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
        )

    return _case_action(
        request,
        pk,
        forms.DocumentForm,
        "document",
        call,
        success=_("The document is stored."),
        anchor="documents",
    )


@reads_cases
@require_GET
def document_download(request, pk: int):
    document = access.get_for_user(request.user, Document, pk)  # audited read
    response = HttpResponse(services.document_content(document), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.original_name or f"document-{document.pk}"
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Branch caseload -------------------------------------------------------------------------


def _may_see_caseload(user) -> bool:
    return user.can(Capability.READ_CASES) and (
        user.can(Capability.MANAGE_BRANCH) or user.can(Capability.ALL_BRANCHES)
    )


@reads_cases
@require_GET
def caseload(request):
    if not _may_see_caseload(request.user):
        audit_record(
            action=AuditAction.PERMISSION_DENIED,
            actor=request.user,
            object_type="counselling.case",
            reason="caseload",
        )
        raise Http404
    cases, filterset = selectors.case_list(user=request.user, filters=request.GET)
    page = Paginator(cases, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _with_labels(list(page.object_list))
    counts = dict(cases.order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    query = request.GET.copy()
    query.pop("page", None)
    if not request.user.can(Capability.ALL_BRANCHES):
        filterset.form.fields["counsellor"].queryset = forms.assignable_staff(
            request.user.branch_ids()
        )
    return render(
        request,
        "counselling/caseload.html",
        {
            "page": page,
            "filter": filterset,
            "query": query.urlencode(),
            "counts": [(label, counts.get(value, 0)) for value, label in CaseStatus.choices],
            "total": sum(counts.values()),
        },
    )
