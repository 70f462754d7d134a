"""The consent-text screens: the list, an edit (a new version), the review
mark (administrators), and the explanation shown at intake (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling.consent_texts import selectors, services
from counselling.consent_texts.forms import (
    ConsentTextEditForm,
    ConsentTextFilterForm,
    ConsentTextReviewForm,
)
from counselling.consent_texts.models import ConsentText
from ngo import access
from ngo.access import Need
from ngo.access.views import route_gate
from ngo.lib.codes import language_codes
from ngo.lib.forms import add_service_errors, version_of
from ngo.lib.versions import StaleVersion

AREA = "consent_texts"


def _text_to_write(request, pk: int) -> ConsentText:
    return access.get_for_user(request.user, ConsentText, pk, Need.WRITE)


def _stale_message(stale: StaleVersion) -> str:
    return _(
        "Someone saved a newer version of this text (version %(current)s) after you opened "
        "it. Nothing of yours was saved: open the current version and try again."
    ) % {"current": stale.current}


@route_gate("consent_texts:text_list", area=AREA)
@require_GET
def text_list(request):
    filters = ConsentTextFilterForm(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    texts = selectors.consent_text_list(user=request.user, filters=values)
    return render(
        request,
        "consent_texts/text_list.html",
        {
            "texts": texts,
            "filters": filters,
            "can_edit": access.can_create(request.user, ConsentText),
        },
    )


@route_gate("consent_texts:text_edit", area=AREA)
@require_http_methods(["GET", "POST"])
def text_edit(request, pk: int):
    text = _text_to_write(request, pk)
    form = ConsentTextEditForm(request.POST or None, initial=ConsentTextEditForm.initial_for(text))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.consent_text_edit(
                actor=request.user,
                text=text,
                heading=form.cleaned_data["heading"],
                body=form.cleaned_data["body"],
                expected_version=version_of(form),
            )
        except StaleVersion as stale:
            form.add_error(None, _stale_message(stale))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The text is saved as version %(v)d.") % {"v": saved.version}
            )
            return redirect("consent_texts:text_list")
    return render(
        request,
        "consent_texts/text_edit.html",
        {
            "text": text,
            "form": form,
            "review_form": ConsentTextReviewForm(initial={"version": text.version}),
        },
    )


@route_gate("consent_texts:text_review", area=AREA)
@require_POST
def text_review(request, pk: int):
    text = _text_to_write(request, pk)
    form = ConsentTextReviewForm(request.POST)
    if form.is_valid():
        try:
            services.consent_text_mark_reviewed(
                actor=request.user,
                text=text,
                reviewer_name=form.cleaned_data["reviewer_name"],
                expected_version=version_of(form),
            )
        except StaleVersion as stale:
            form.add_error(None, _stale_message(stale))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The text is marked as reviewed by a native speaker."))
            return redirect("consent_texts:text_list")
    edit_form = ConsentTextEditForm(initial=ConsentTextEditForm.initial_for(text))
    return render(
        request,
        "consent_texts/text_edit.html",
        {"text": text, "form": edit_form, "review_form": form},
        status=400,
    )


@route_gate("consent_texts:explanation", area=AREA)
@require_GET
def explanation(request):
    """The explanation in the language chosen on the intake form (htmx)."""
    language = request.GET.get("consent_language") or "ko"
    if language not in language_codes():
        return HttpResponseBadRequest(
            _("%(code)s is not a known language code (use ISO 639-1, e.g. vi, zh, tl).")
            % {"code": language[:10]},
            content_type="text/plain; charset=utf-8",
        )
    try:
        branch = selectors.explanation_branch(user=request.user, value=request.GET.get("branch"))
    except ValueError:
        return HttpResponseBadRequest(
            _("%(value)s is not one of your branches.") % {"value": request.GET["branch"][:10]},
            content_type="text/plain; charset=utf-8",
        )
    shown = selectors.explanation(language)
    context = {
        "explanation": shown,
        "contact": selectors.centre_contact(branch=branch, language=shown.language),
    }
    return render(request, "consent_texts/_explanation.html", context)
