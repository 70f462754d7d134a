"""Her consent on paper: the form printed in her language beside Korean, and
the scan of the signed form attached to her decisions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from counselling import forms, selectors, services
from counselling.consent_texts import selectors as consent_texts
from counselling.models import Client
from counselling.views._common import reads_cases
from counselling.views.clients import _client_page
from ngo.access import Need
from ngo.lib.codes import language_codes
from ngo.lib.forms import add_service_errors
from ngo.lib.pdf import render_pdf


def _form_language(request, client: Client, summary: dict) -> str | None:
    """The language asked for, else that of her newest decision, else her first."""
    asked = request.GET.get("language")
    if asked:
        return asked if asked in language_codes() else None
    recorded = [c for c in summary.values() if c is not None]
    if recorded:
        return max(recorded, key=lambda c: (c.recorded_at, c.pk)).explanation_language
    return next(iter(client.languages), consent_texts.KOREAN)


def consent_form_context(client: Client, language: str) -> dict:
    summary = selectors.consent_summary(client=client)
    explanation = consent_texts.explanation(language)
    rows = []
    for paragraph in explanation.paragraphs:
        decision = summary.get(paragraph.section, "section")
        rows.append(
            {"paragraph": paragraph, "is_purpose": decision != "section", "consent": decision}
        )
    recorded = [c for c in summary.values() if c is not None]
    return {
        "client": client,
        "explanation": explanation,
        "rows": rows,
        "contact": consent_texts.centre_contact(
            branch=client.branch, language=explanation.language
        ),
        "interpreter": any(c.interpreter_explained for c in recorded),
        "printed_on": timezone.localdate(),
    }


@reads_cases
@require_GET
def consent_form_print(request, pk: int):
    client = selectors.client_get(user=request.user, pk=pk)  # audited read
    language = _form_language(request, client, selectors.consent_summary(client=client))
    if language is None:
        return HttpResponseBadRequest(
            _("%(code)s is not a known language code (use ISO 639-1, e.g. vi, zh, tl).")
            % {"code": request.GET.get("language", "")[:10]},
            content_type="text/plain; charset=utf-8",
        )
    pdf = render_pdf("counselling/consent_form_pdf.html", consent_form_context(client, language))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"consent-{client.case_code}-{language}.pdf"
    )
    response["Cache-Control"] = "no-store"
    return response


@reads_cases
@require_POST
def consent_signed_form_add(request, pk: int):
    """The scan of the signed form: stored as one of her documents (the usual
    file checks) and linked from her decisions that have none yet."""
    client = selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.DocumentForm(request.POST, request.FILES, prefix="signed")
    if form.is_valid():
        try:
            services.consent_attach_signed_form(
                actor=request.user,
                client=client,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The signed form is attached to her decisions."))
            return redirect(reverse("counselling:client_detail", args=[client.pk]) + "#consent")
    return _client_page(request, client, signed_form_form=form)
