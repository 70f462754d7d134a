"""Headers, caching, error pages and logs."""

import logging
import re

import pytest
from django.test import Client, RequestFactory

from ngo.lib import errors
from tests.conftest import verified_client

PAGES = [
    ("/accounts/login/", None),
    ("/accounts/dashboard/", "admin"),
    ("/accounts/dashboard/", "auditor"),
    ("/accounts/profile/", "counsellor_a"),
    ("/counselling/", "counsellor_a"),
    ("/campaigns/", "volunteer"),
    ("/policy/", "policy_officer"),
    ("/audit/", "auditor"),
    ("/admin/", "admin"),
    ("/api/docs/", "admin"),
]


@pytest.mark.parametrize(("path", "persona"), PAGES)
def test_every_html_page_has_a_strict_csp_and_no_inline_script(personas, path, persona):
    client = verified_client(getattr(personas, persona)) if persona else Client()
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        # json_script data blocks are never run: the only scripts without a src.
        data_block = re.fullmatch(r'<script id="[\w-]+" type="application/json">', tag)
        assert "src=" in tag or data_block, f"inline script on {path}: {tag}"
    assert not re.search(r"\son(click|load|change|submit)=", html)


def test_pages_for_signed_in_people_are_never_cached(personas):
    response = verified_client(personas.counsellor_a).get("/accounts/dashboard/")
    assert "no-store" in response["Cache-Control"]


def test_api_responses_are_never_cached(personas):
    response = verified_client(personas.counsellor_a).get("/api/v1/me/")
    assert "no-store" in response["Cache-Control"]


def test_not_found_page_is_generic_with_a_request_id(personas):
    response = verified_client(personas.volunteer).get(
        "/no/such/page/", HTTP_X_REQUEST_ID="abcdef123456"
    )
    assert response.status_code == 404
    html = response.content.decode()
    assert "abcdef123456" in html
    assert "Traceback" not in html


def test_server_error_page_shows_only_the_request_id(db):
    request = RequestFactory().get("/")
    request.request_id = "feedfacecafe"
    response = errors.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "feedfacecafe" in html
    assert "Traceback" not in html and "Exception" not in html


def test_unhandled_exception_gives_the_generic_page_and_logs_no_request_data(
    personas, caplog, monkeypatch
):
    from ngo.accounts import views

    def boom(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "dashboard_for", boom)
    client = verified_client(personas.volunteer)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = client.get(
            "/accounts/dashboard/?q=Nguyen+Thi+Lan", HTTP_X_REQUEST_ID="deadbeef1234"
        )
    assert response.status_code == 500
    assert "deadbeef1234" in response.content.decode()
    assert "boom" not in response.content.decode()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Nguyen" not in text
    for record in caplog.records:
        assert getattr(record, "request", None) is None


def test_debug_is_off_by_default(settings):
    assert settings.DEBUG is False


def test_csrf_is_enforced_on_login():
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post("/accounts/login/", {"username": "a@b.c", "password": "x"}).status_code == 403
    )
