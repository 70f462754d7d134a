"""The Letters panel's buttons on the case page, the PDF download, and the
public verification page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling.letters import forms, selectors, services, throttle
from counselling.models import Case
from counselling.views._common import reads_cases
from ngo import access
from ngo.access import Need
from ngo.lib import request_context


def _to_panel(case_id):
    if case_id is None:
        return redirect("counselling:index")
    return redirect(reverse("counselling:case_detail", args=[case_id]) + "#letters")


def _refused(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _letter(request, pk: int, need: Need = Need.WRITE):
    return access.get_for_user(request.user, selectors.letter_queryset(), pk, need)


@reads_cases
@require_POST
def letter_prepare(request, pk: int):
    case = access.get_for_user(request.user, Case, pk, Need.WRITE)
    form = forms.LetterPrepareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language the letter is written in."))
        return _to_panel(case.pk)
    try:
        services.letter_prepare(
            actor=request.user, case=case, language=form.cleaned_data["language"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The letter is prepared; the branch manager approves it."))
    return _to_panel(case.pk)


@reads_cases
@require_POST
def letter_approve(request, pk: int):
    letter = _letter(request, pk)
    try:
        letter = services.letter_approve(actor=request.user, letter=letter)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Letter %(number)s is issued.") % {"number": letter.number})
    return _to_panel(letter.case_id)


@reads_cases
@require_POST
def letter_revoke(request, pk: int):
    letter = _letter(request, pk)
    services.require_signatory(request.user, letter)
    form = forms.LetterRevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the letter is revoked."))
        return _to_panel(letter.case_id)
    try:
        services.letter_revoke(
            actor=request.user, letter=letter, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The letter is revoked."))
    return _to_panel(letter.case_id)


@reads_cases
@require_GET
def letter_pdf(request, pk: int):
    letter = _letter(request, pk, Need.READ)
    try:
        content = services.letter_reprint(actor=request.user, letter=letter)
    except ValidationError as exc:
        _refused(request, exc)
        return _to_panel(letter.case_id)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{letter.number}.pdf"
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone with a letter's number and her date of birth learns whether it is
    genuine, when and by which branch it was issued, and whether it was revoked."""
    if request.method == "GET":
        number = services.normalise_number(request.GET.get("number", ""))
        form = forms.LetterVerifyForm(initial={"number": number})
        return render(request, "letters/verify.html", {"form": form})
    form = forms.LetterVerifyForm(request.POST)
    if not form.is_valid():
        return render(request, "letters/verify.html", {"form": form}, status=400)
    context = {"form": form, "checked": True}
    try:
        context["letter"] = services.letter_verify(
            number=form.cleaned_data["number"],
            birth_date=form.cleaned_data["birth_date"],
            ip=request_context.client_ip(request),
        )
    except throttle.Limited as limited:
        context = {"form": form, "limited_minutes": limited.minutes}
        return render(request, "letters/verify.html", context, status=429)
    except throttle.Unavailable:
        return render(
            request, "letters/verify.html", {"form": form, "unavailable": True}, status=503
        )
    return render(request, "letters/verify.html", context)
