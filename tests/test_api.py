"""The REST API: schema, docs, auth, error format, branches, staff, me."""

import pytest
import yaml
from django.test import Client
from openapi_spec_validator import validate

from ngo.accounts.models import ApiToken, Branch, User
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, verified_client


def test_openapi_schema_is_valid(personas):
    client = verified_client(personas.admin)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    for path in (
        "/api/v1/branches/",
        "/api/v1/staff/",
        "/api/v1/audit-events/",
        "/api/v1/me/",
        "/api/v1/auth/token/",
    ):
        assert path in schema["paths"]


def test_swagger_ui_is_served_without_a_cdn(personas):
    client = verified_client(personas.admin)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # scripts come from files (CSP)


def test_anonymous_requests_are_refused(db):
    response = Client().get("/api/v1/me/")
    assert response.status_code == 403
    body = response.json()
    assert set(body) == {"error", "request_id"}
    assert body["error"]["status"] == 403


def test_me_describes_the_user(personas):
    data = verified_client(personas.counsellor_a).get("/api/v1/me/").json()
    assert data["email"] == personas.counsellor_a.email
    assert [b["code"] for b in data["branches"]] == ["SEO"]
    assert "read_cases" in data["capabilities"]


def test_token_comes_from_a_verified_session_and_then_authenticates(personas):
    session = verified_client(personas.counsellor_a)
    response = session.post("/api/v1/auth/token/", {"name": "report script"})
    assert response.status_code == 201
    key = response.json()["token"]
    assert ApiToken.objects.get(user=personas.counsellor_a).name == "report script"
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["email"] == personas.counsellor_a.email
    # A token cannot mint another token.
    refused = api.post("/api/v1/auth/token/", {"name": "another"})
    assert refused.status_code == 403
    assert ApiToken.objects.filter(user=personas.counsellor_a).count() == 1


def test_unverified_session_cannot_mint_a_token(personas):
    client = Client()
    client.post("/accounts/login/", {"username": personas.counsellor_a.email, "password": PASSWORD})
    assert client.post("/api/v1/auth/token/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.filter(user=personas.counsellor_a).exists()


def test_branches_list_is_paginated_and_filtered(personas):
    client = verified_client(personas.admin)
    data = client.get("/api/v1/branches/?is_head_office=true").json()
    assert data["count"] == 1
    assert data["results"][0]["code"] == "HQ"


def test_admin_creates_a_branch_and_it_is_audited(personas):
    client = verified_client(personas.admin)
    response = client.post(
        "/api/v1/branches/",
        {"code": "GWJ", "name_ko": "광주지부", "name_en": "Gwangju branch"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    branch = Branch.objects.get(code="GWJ")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE,
        object_type="accounts.branch",
        object_id=str(branch.pk),
        actor=personas.admin,
    ).exists()


@pytest.mark.parametrize("persona", ["counsellor_a", "manager_a", "auditor", "volunteer"])
def test_only_administrators_create_branches_and_staff(personas, persona):
    client = verified_client(getattr(personas, persona))
    r1 = client.post(
        "/api/v1/branches/",
        {"code": "GWJ", "name_ko": "광주", "name_en": "Gwangju"},
        content_type="application/json",
    )
    r2 = client.post(
        "/api/v1/staff/",
        {"email": "x@example.org", "full_name": "X", "role": "counsellor"},
        content_type="application/json",
    )
    assert (r1.status_code, r2.status_code) == (403, 403)
    assert not Branch.objects.filter(code="GWJ").exists()
    assert not User.objects.filter(email="x@example.org").exists()
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.PERMISSION_DENIED, reason="create", actor=getattr(personas, persona)
        ).count()
        == 2
    )


def test_manager_cannot_change_staff_of_her_branch(personas):
    client = verified_client(personas.manager_a)
    response = client.patch(
        f"/api/v1/staff/{personas.counsellor_a.pk}/",
        {"role": "administrator"},
        content_type="application/json",
    )
    assert response.status_code == 403
    personas.counsellor_a.refresh_from_db()
    assert personas.counsellor_a.role == "counsellor"


def test_admin_creates_staff_with_branches_and_role_group(personas):
    client = verified_client(personas.admin)
    response = client.post(
        "/api/v1/staff/",
        {
            "email": "Mai.Tran@Example.org",
            "full_name": "Tran Mai",
            "role": "shelter_worker",
            "branches": ["SEO", "BUS"],
            "password": "a very long pass phrase",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    staff = User.objects.get(email="mai.tran@example.org")
    assert set(staff.branches.values_list("code", flat=True)) == {"SEO", "BUS"}
    assert list(staff.groups.values_list("name", flat=True)) == ["shelter_worker"]
    assert "password" not in response.json()


def test_admin_deactivates_staff_instead_of_deleting(personas):
    client = verified_client(personas.admin)
    url = f"/api/v1/staff/{personas.counsellor_b.pk}/"
    assert client.delete(url).status_code == 405
    response = client.patch(url, {"is_active": False}, content_type="application/json")
    assert response.status_code == 200
    personas.counsellor_b.refresh_from_db()
    assert personas.counsellor_b.is_active is False
    event = AuditEvent.objects.get(
        action=AuditAction.UPDATE, object_id=str(personas.counsellor_b.pk)
    )
    assert event.fields == ["is_active"]


def test_admin_cannot_deactivate_herself(personas):
    client = verified_client(personas.admin)
    response = client.patch(
        f"/api/v1/staff/{personas.admin.pk}/", {"is_active": False}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["non_field_errors"]


def test_invalid_input_gives_field_errors_in_english(personas):
    client = verified_client(personas.admin)
    response = client.post(
        "/api/v1/staff/",
        {"email": "not-an-email", "role": "king", "password": "short"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) >= {"email", "role", "full_name"}
    assert "valid email" in error["fields"]["email"][0].lower()


def test_invalid_input_gives_field_errors_in_korean(personas):
    client = verified_client(personas.admin)
    response = client.post(
        "/api/v1/staff/",
        {"email": "x@example.org", "full_name": "X", "role": "counsellor", "password": "short"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["password"][0]
    assert "비밀번호" in message
    assert not User.objects.filter(email="x@example.org").exists()


def test_duplicate_branch_code_is_a_400_not_a_500(personas):
    client = verified_client(personas.admin)
    response = client.post(
        "/api/v1/branches/",
        {"code": "SEO", "name_ko": "서울", "name_en": "Seoul"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "code" in response.json()["error"]["fields"]


def test_second_head_office_is_refused(personas):
    client = verified_client(personas.admin)
    response = client.post(
        "/api/v1/branches/",
        {"code": "HQB", "name_ko": "제2본부", "name_en": "Second HQ", "is_head_office": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not Branch.objects.filter(code="HQB").exists()


def test_malformed_json_is_a_clear_400(personas):
    client = verified_client(personas.admin)
    response = client.post("/api/v1/branches/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_unknown_api_path_is_json_404(personas):
    response = verified_client(personas.admin).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    ["/api/v1/staff/?page_size=100", "/api/v1/audit-events/?page_size=100", "/api/v1/branches/"],
)
def test_list_endpoints_do_not_grow_queries_with_rows(personas, branch_a, url):
    from tests.factories import BranchFactory, UserFactory

    client = verified_client(personas.admin)
    client.get("/api/v1/me/")  # settle the session
    few = _queries(client, url)
    for _ in range(3):
        BranchFactory()
    UserFactory.create_batch(30, branches=[branch_a])
    client.get(f"/api/v1/staff/{personas.counsellor_a.pk}/")  # adds audit rows
    assert _queries(client, url) == few
    assert few <= 10
