"""Search, intake and the client's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling import forms, selectors, services
from counselling.consent_step import IntakeConsentForm, explanation_context, intake_branch
from counselling.consent_texts import selectors as consent_texts
from counselling.models import (
    Client,
    ConsentPurpose,
)
from counselling.views._common import (
    SEARCH_PAGE_SIZE,
    _choice_label,
    _may_see_caseload,
    _redirect_to_case,
    _with_labels,
    reads_cases,
)
from ngo import access
from ngo.access import Need
from ngo.access.views import audit_reshown, show_stale
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.directory.models import OrganisationKind
from ngo.lib.forms import add_service_errors, version_of
from ngo.lib.paging import CappedPaginator
from ngo.lib.versions import StaleVersion


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
        page = CappedPaginator(clients.order_by("-created_at", "-id"), SEARCH_PAGE_SIZE).get_page(
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


@reads_cases
@require_http_methods(["GET", "POST"])
def intake(request):
    access.require_create(request.user, Client)
    data = request.POST if request.method == "POST" else None
    form = forms.IntakeForm(data, user=request.user)
    children = forms.ChildFormSet(data, prefix="children")
    consent_form = IntakeConsentForm(data)
    duplicates = []
    showing = data is not None and "show_explanation" in data
    valid = data is not None and form.is_valid() & children.is_valid() & consent_form.is_valid()
    if valid and not showing:
        try:
            _client, case = services.client_intake(
                actor=request.user,
                branch=form.cleaned_data["branch"],
                client=form.client_values(),
                case=form.case_values(),
                children=forms.children_values(children),
                assigned=form.cleaned_data["assigned"],
                confirm_not_duplicate=form.cleaned_data["confirm_not_duplicate"],
                **consent_form.intake_values(),
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
    languages = form.cleaned_data.get("languages", []) if form.is_bound else []
    return render(
        request,
        "counselling/intake.html",
        {
            "form": form,
            "children": children,
            "duplicates": duplicates,
            "consent_form": consent_form,
            **explanation_context(consent_form.shown_language(languages), intake_branch(form)),
        },
    )


def _client_page(request, client: Client, **bound):
    user = request.user
    audit_reshown(request, client)
    cases = _with_labels(selectors.cases_of_client(user=user, client=client))
    documents = selectors.documents_of_client(user=user, client=client)
    consents = []
    for purpose, consent in selectors.consent_summary(client=client, with_texts=True).items():
        if consent is not None:
            consent.kind_labels = [
                _choice_label(OrganisationKind, kind) for kind in consent.organisation_kinds
            ]
            consent.language_name = forms.language_label(consent.explanation_language)
            consent.shown = sorted(consent.texts_shown.all(), key=lambda t: (t.language, t.section))
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
        "document_form": forms.TypedDocumentForm(prefix="document"),
        "signed_form_form": forms.DocumentForm(prefix="signed"),
        "form_languages": [
            (code, forms.language_label(code)) for code in consent_texts.languages_with_texts()
        ],
        **bound,
    }
    return render(request, "counselling/client_detail.html", context)


@reads_cases
@require_GET
def client_detail(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk, knowing=Need.WRITE)
    return _client_page(request, client)


# Drawn when opened (their choices: her documents, the branch's staff); shown
# bound, in the page, when they come back with errors.
_FORMS_ON_DEMAND = {
    "consent": lambda user, client: forms.ConsentForm(prefix="consent", client=client, user=user),
    "case": lambda user, client: forms.CaseOpenForm(prefix="case", client=client, user=user),
}


@reads_cases
@require_GET
def client_form(request, pk: int, form: str):
    """The fields of one of her page's forms, fetched when she opens it."""
    build = _FORMS_ON_DEMAND.get(form)
    if build is None:
        raise Http404
    client = selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    return render(request, "includes/fields.html", {"form": build(request.user, client)})


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
                services.client_update(
                    actor=request.user,
                    client=client,
                    expected_version=version_of(form),
                    **form.client_values(),
                )
            except StaleVersion as stale:
                form = show_stale(request, form, stale)
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
    form = forms.TypedDocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                client=client,
                uploaded_file=form.cleaned_data["file"],
                **form.document_values(),
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
