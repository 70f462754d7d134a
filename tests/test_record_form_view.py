"""The one helper behind the screens whose form creates or changes a record
(ngo.access.views.record_form_view): read first, then the form, the service,
its refusal on the form, and a redirect or the page again."""

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from ngo.access.views import record_form_view


class NameForm(forms.Form):
    name = forms.CharField()


def _request(method="get", data=None):
    request = getattr(RequestFactory(), method)("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _view(request, *, save, read=lambda: "the record", **kwargs):
    steps = []

    def page(form, record):
        steps.append(("page", record))
        return HttpResponse(status=400 if form.errors else 200)

    response = record_form_view(
        request,
        read=read,
        bind=lambda record: NameForm(request.POST or None),
        save=save,
        saved=lambda result: HttpResponseRedirect(f"/saved/{result}/"),
        page=page,
        message="Saved.",
        **kwargs,
    )
    return response, steps


def test_a_get_shows_the_page_and_calls_no_service():
    def save(form, record):
        raise AssertionError("no service on a GET")

    response, steps = _view(_request(), save=save)
    assert response.status_code == 200
    assert steps == [("page", "the record")]


def test_a_valid_post_calls_the_service_with_the_record_and_redirects():
    calls = []

    def save(form, record):
        calls.append((form.cleaned_data["name"], record))
        return 7

    request = _request("post", {"name": "Hana"})
    response, steps = _view(request, save=save)
    assert calls == [("Hana", "the record")]
    assert response.status_code == 302 and response["Location"] == "/saved/7/"
    assert [str(m) for m in request._messages] == ["Saved."]
    assert steps == []


def test_the_services_refusal_is_shown_on_the_form_and_the_page_comes_again():
    def save(form, record):
        raise ValidationError({"name": "Taken.", "other": "Not on the form."})

    shown = []

    def page_form(form, record):
        shown.append(form)
        return HttpResponse(status=400 if form.errors else 200)

    request = _request("post", {"name": "Hana"})
    response = record_form_view(
        request,
        read=lambda: None,
        bind=lambda record: NameForm(request.POST or None),
        save=save,
        saved=lambda result: HttpResponseRedirect("/"),
        page=page_form,
        message="Saved.",
    )
    assert response.status_code == 400
    assert shown[0].errors == {"name": ["Taken."], "__all__": ["Not on the form."]}


def test_a_screen_may_answer_a_refusal_its_own_way():
    def save(form, record):
        raise ValidationError("Already there.")

    def refused(form, error, record):
        assert record == "the record"
        return NameForm()  # a fresh form, no errors

    response, steps = _view(_request("post", {"name": "Hana"}), save=save, refused=refused)
    assert response.status_code == 200
    assert steps == [("page", "the record")]


def test_an_invalid_post_shows_the_errors_and_calls_no_service():
    def save(form, record):
        raise AssertionError("no service for an invalid form")

    response, _steps = _view(_request("post", {"name": ""}), save=save)
    assert response.status_code == 400


def test_the_read_comes_first_and_its_refusal_stops_everything():
    def read():
        raise PermissionDenied

    def save(form, record):
        raise AssertionError("never reached")

    with pytest.raises(PermissionDenied):
        _view(_request("post", {"name": "Hana"}), save=save, read=read)
