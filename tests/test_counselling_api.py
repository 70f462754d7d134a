"""The counselling REST API through HTTP: who may read and write what, the audit
of every read, bad input as 400s, the intake duplicate warning, consent and
referrals, documents, and list query counts."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate

from counselling import services
from counselling.models import (
    Case,
    CaseEvent,
    Client,
    Consent,
    CounsellingSession,
    Document,
    Referral,
    RiskAssessment,
    SafetyPlan,
    SafetyPlanItem,
)
from ngo.accounts.roles import Role
from ngo.audit.models import AuditAction, AuditEvent
from ngo.audit.services import object_type_of
from ngo.directory.models import Organisation
from tests.conftest import verified_client
from tests.factories import UserFactory

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
NAME = "Tran Thi Mai"
PERSONAS = [
    "counsellor_a",
    "counsellor_b",
    "manager_a",
    "shelter_worker_a",
    "coordinator",
    "policy_officer",
    "auditor",
    "volunteer",
    "admin",
]
# Who reads the SEO case data: her branch's counsellor, manager and shelter
# worker, and the administrators (all branches). Nobody else sees it exists.
READS_SEO_CASES = {
    "counsellor_a": True,
    "counsellor_b": False,
    "manager_a": True,
    "shelter_worker_a": True,
    "coordinator": False,
    "policy_officer": False,
    "auditor": False,
    "volunteer": False,
    "admin": True,
}


def write_status(persona: str, success: int) -> int:
    """A write on SEO case data: done by those who may write it, 403 for the
    shelter worker (she reads it), 404 for everyone who cannot see it."""
    if persona in ("counsellor_a", "manager_a", "admin"):
        return success
    if persona == "shelter_worker_a":
        return 403
    return 404


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


_MUST_MATCH = re.compile(r"/(cases|clients)/(\d+)/$")


def send(client, method, url, data=None, multipart=False):
    """The request; a PATCH of a case or a client sends the record's current
    ETag in If-Match, as the API requires."""
    if multipart:
        return client.post(url, data)
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    headers = {}
    match = _MUST_MATCH.search(url)
    if method in ("patch", "put") and match:
        model = Case if match.group(1) == "cases" else Client
        version = model.objects.filter(pk=match.group(2)).values_list("version", flat=True).first()
        if version is not None:
            headers["If-Match"] = f'"{version}"'
    return getattr(client, method)(
        url, data or {}, content_type="application/json", headers=headers
    )


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def fill_case(case, actor, organisations, *, severe=False):
    """One of every record on a case, through the services."""
    client = case.client
    child = services.child_add(actor=actor, client=client, first_name="Minh", age=4)
    session = services.session_record(
        actor=actor, case=case, mode="phone", notes="Called from a friend's phone."
    )
    event = services.case_event_add(
        actor=actor,
        case=case,
        kind="court_hearing",
        starts_at=timezone.now() + timedelta(days=7),
        place="Seoul Family Court",
    )
    answers = {"threats_to_kill": True, "weapon": True} if severe else {"isolation": True}
    risk = services.risk_assess(actor=actor, case=case, answers=answers)
    plan = services.safety_plan_create(
        actor=actor,
        case=case,
        items=[{"action": "Keep a bag ready by the door", "responsible": "client"}],
        next_review_on=timezone.localdate() + timedelta(days=7),
    )
    services.safety_plan_review(actor=actor, plan=plan, note="Reviewed with her.")
    consent = services.consent_record(
        actor=actor,
        client=client,
        purpose="share_referral",
        given=True,
        explanation_language="vi",
        organisation_kinds=["hospital", "legal_aid"],
    )
    referral = services.referral_create(
        actor=actor, case=case, organisation=organisations["hospital"], reason="Injuries."
    )
    document = services.document_upload(
        actor=actor,
        client=client,
        case=case,
        uploaded_file=_upload("injury.png", PNG),
        title="Photo of injuries",
    )
    return SimpleNamespace(
        case=case,
        client=client,
        child=child,
        session=session,
        event=event,
        risk=risk,
        plan=plan,
        item=plan.items.get(),
        consent=consent,
        referral=referral,
        document=document,
    )


@pytest.fixture
def world(personas, make_case, organisations):
    """A case of branch SEO, opened by counsellor_a, with one of everything on it."""
    case = make_case(
        actor=personas.counsellor_a,
        name_romanised=NAME,
        residence_status="undocumented",
        phone="010-4321-8765",
    )
    return fill_case(case, personas.counsellor_a, organisations)


# --- Reading: lists are scoped, retrieves 404 outside the scope, all audited ---------------

RECORDS = {
    "clients": "client",
    "cases": "case",
    "children": "child",
    "sessions": "session",
    "case-events": "event",
    "risk-assessments": "risk",
    "safety-plans": "plan",
    "referrals": "referral",
    "consents": "consent",
    "documents": "document",
}


@pytest.mark.parametrize("endpoint", RECORDS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_retrieves_are_scoped_and_audited(personas, world, persona, endpoint):
    user = getattr(personas, persona)
    api = verified_client(user)
    record = getattr(world, RECORDS[endpoint])
    reads = READS_SEO_CASES[persona]

    listed = api.get(f"{API}/{endpoint}/")
    assert _ids(listed) == ([record.pk] if reads else [])

    detail = api.get(f"{API}/{endpoint}/{record.pk}/")
    assert detail.status_code == (200 if reads else 404)
    events = AuditEvent.objects.filter(
        actor=user, object_type=object_type_of(record), object_id=str(record.pk)
    )
    if reads:
        assert detail.json()["id"] == record.pk
        assert events.filter(action=AuditAction.READ).count() == 1
    else:
        assert events.filter(action=AuditAction.PERMISSION_DENIED).count() == 1
        assert not events.filter(action=AuditAction.READ).exists()
        for response in (listed, detail):
            assert NAME.encode() not in response.content
            assert b"undocumented" not in response.content


@pytest.mark.parametrize(
    ("url", "record"),
    [("cases/{}/timeline/", "case"), ("documents/{}/download/", "document")],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_timeline_and_download_are_scoped_and_audited(personas, world, persona, url, record):
    user = getattr(personas, persona)
    obj = getattr(world, record)
    response = verified_client(user).get(f"{API}/{url.format(obj.pk)}")
    reads = READS_SEO_CASES[persona]
    assert response.status_code == (200 if reads else 404)
    action = AuditAction.READ if reads else AuditAction.PERMISSION_DENIED
    assert AuditEvent.objects.filter(
        actor=user, action=action, object_type=object_type_of(obj), object_id=str(obj.pk)
    ).exists()


def test_client_detail_has_her_details_children_consent_and_cases(personas, world):
    data = verified_client(personas.counsellor_a).get(f"{API}/clients/{world.client.pk}/").json()
    assert data["residence_status"] == "undocumented"
    assert data["phone"] == "010-4321-8765"
    assert [child["first_name"] for child in data["children"]] == ["Minh"]
    consent = {state["purpose"]: state for state in data["consent"]}
    assert consent["share_referral"]["given"] is True
    assert consent["share_referral"]["organisation_kinds"] == ["hospital", "legal_aid"]
    assert consent["statistics"]["given"] is None  # never asked
    assert [case["id"] for case in data["cases"]] == [world.case.pk]
    assert "phone_index" not in data


def test_client_list_leaves_out_how_to_reach_her(personas, world):
    row = verified_client(personas.counsellor_a).get(f"{API}/clients/").json()["results"][0]
    assert row["case_code"] == world.client.case_code
    for secret in ("phone", "address", "narrative", "safe_contact", "phone_index"):
        assert secret not in row


def test_document_metadata_hides_the_storage_name(personas, world):
    data = verified_client(personas.counsellor_a).get(f"{API}/documents/{world.document.pk}/")
    body = data.json()
    assert "storage_name" not in body
    assert body["sha256"] == world.document.sha256
    assert body["download_url"] == f"{API}/documents/{world.document.pk}/download/"


def test_download_streams_the_decrypted_file_uncached(personas, world):
    response = verified_client(personas.counsellor_a).get(
        f"{API}/documents/{world.document.pk}/download/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="injury.png"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("assigned", 200),
        ("colleague", 404),  # a counsellor of the same branch, not assigned
        ("manager_a", 200),
        ("admin", 404),  # all branches, but restricted cases only when assigned
        ("counsellor_b", 404),
    ],
)
def test_restricted_case_is_seen_by_its_staff_and_branch_manager(
    personas, branch_a, make_case, who, status
):
    colleague = UserFactory(role=Role.COUNSELLOR, branches=[branch_a])
    case = make_case(actor=personas.counsellor_a, restricted=True, name_romanised=NAME)
    session = services.session_record(actor=personas.counsellor_a, case=case, mode="phone")
    user = {"assigned": personas.counsellor_a, "colleague": colleague}.get(who) or getattr(
        personas, who
    )
    api = verified_client(user)
    for url in (
        f"cases/{case.pk}/",
        f"clients/{case.client_id}/",
        f"sessions/{session.pk}/",
        f"cases/{case.pk}/timeline/",
    ):
        assert api.get(f"{API}/{url}").status_code == status, url
    assert (case.pk in _ids(api.get(f"{API}/cases/"))) == (status == 200)
    assert (case.client_id in _ids(api.get(f"{API}/clients/"))) == (status == 200)


# --- Writing: the parent is fetched for writing first, then the service -------------------

WRITES = {
    "open a further case": (
        "post",
        lambda w, p: ("cases/", {"client": w.client.pk, "case_types": ["labour"]}),
        201,
    ),
    "change her details": (
        "patch",
        lambda w, p: (f"clients/{w.client.pk}/", {"interpreter_needed": True}),
        200,
    ),
    "add a child": (
        "post",
        lambda w, p: (f"clients/{w.client.pk}/children/", {"first_name": "Lan", "age": 2}),
        201,
    ),
    "change a child": ("patch", lambda w, p: (f"children/{w.child.pk}/", {"age": 5}), 200),
    "remove a child": ("delete", lambda w, p: (f"children/{w.child.pk}/", None), 204),
    "change a case": ("patch", lambda w, p: (f"cases/{w.case.pk}/", {"summary": "New."}), 200),
    "close a case": (
        "post",
        lambda w, p: (f"cases/{w.case.pk}/status/", {"to": "closed", "closure_reason": "resolved"}),
        200,
    ),
    "assign a case": (
        "post",
        lambda w, p: (
            f"cases/{w.case.pk}/assign/",
            {"assigned": [p.counsellor_a.pk, p.manager_a.pk]},
        ),
        200,
    ),
    "record a session": (
        "post",
        lambda w, p: ("sessions/", {"case": w.case.pk, "mode": "in_person", "language": "vi"}),
        201,
    ),
    "change a session": (
        "patch",
        lambda w, p: (f"sessions/{w.session.pk}/", {"duration_minutes": 30}),
        200,
    ),
    "add a key date": (
        "post",
        lambda w, p: (
            "case-events/",
            {
                "case": w.case.pk,
                "kind": "visa_deadline",
                "starts_at": (timezone.now() + timedelta(days=30)).isoformat(),
            },
        ),
        201,
    ),
    "change a key date": (
        "patch",
        lambda w, p: (f"case-events/{w.event.pk}/", {"done": True}),
        200,
    ),
    "assess risk": (
        "post",
        lambda w, p: ("risk-assessments/", {"case": w.case.pk, "answers": {"stalking": True}}),
        201,
    ),
    "make a safety plan": (
        "post",
        lambda w, p: (
            "safety-plans/",
            {"case": w.case.pk, "items": [{"action": "Code word", "responsible": "sister"}]},
        ),
        201,
    ),
    "add a plan item": (
        "post",
        lambda w, p: (
            f"safety-plans/{w.plan.pk}/items/",
            {"action": "Copy her passport", "responsible": "counsellor"},
        ),
        201,
    ),
    "tick a plan item": (
        "post",
        lambda w, p: (f"safety-plans/{w.plan.pk}/items/{w.item.pk}/done/", {"done": True}),
        200,
    ),
    "review a plan": (
        "post",
        lambda w, p: (f"safety-plans/{w.plan.pk}/reviews/", {"note": "Still needed."}),
        201,
    ),
    "refer": (
        "post",
        lambda w, p: ("referrals/", {"case": w.case.pk, "organisation": w.orgs["legal_aid"].pk}),
        201,
    ),
    "answer a referral": (
        "post",
        lambda w, p: (f"referrals/{w.referral.pk}/status/", {"to": "accepted"}),
        200,
    ),
    "record consent": (
        "post",
        lambda w, p: (
            "consents/",
            {
                "client": w.client.pk,
                "purpose": "statistics",
                "given": True,
                "explanation_language": "vi",
            },
        ),
        201,
    ),
    "upload a document": (
        "multipart",
        lambda w, p: ("documents/", {"case": w.case.pk, "file": _upload("letter.pdf", PDF)}),
        201,
    ),
}
CHANGES = [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_writes_by_persona(personas, world, organisations, persona, write):
    method, request, success = WRITES[write]
    world.orgs = organisations
    user = getattr(personas, persona)
    url, data = request(world, personas)
    response = send(
        verified_client(user),
        "post" if method == "multipart" else method,
        f"{API}/{url}",
        data,
        multipart=method == "multipart",
    )
    expected = write_status(persona, success)
    assert response.status_code == expected, response.content
    changes = AuditEvent.objects.filter(actor=user, action__in=CHANGES)
    if expected == success:
        assert changes.exists()
    else:
        assert not changes.exists()  # nothing written
        assert AuditEvent.objects.filter(actor=user, action=AuditAction.PERMISSION_DENIED).exists()
        assert NAME.encode() not in response.content


INTAKE = {
    "branch": "SEO",
    "name_romanised": "Le Thi Hoa",
    "nationality": "VN",
    "languages": ["vi", "ko"],
    "residence_status": "F-6",
    "phone": "010-9999-0000",
    "case": {"case_types": ["domestic_violence"], "summary": "First call on the hotline."},
}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor_a", 201),
        ("counsellor_b", 400),  # she does not work at SEO
        ("manager_a", 201),
        ("shelter_worker_a", 403),
        ("coordinator", 403),
        ("policy_officer", 403),
        ("auditor", 403),
        ("volunteer", 403),
        ("admin", 201),
    ],
)
def test_intake_by_persona(personas, persona, status):
    response = send(verified_client(getattr(personas, persona)), "post", f"{API}/clients/", INTAKE)
    assert response.status_code == status, response.content
    assert Client.objects.count() == (1 if status == 201 else 0)
    if status == 400:
        assert "branch" in response.json()["error"]["fields"]


def test_intake_registers_her_children_and_first_case(personas):
    response = send(
        verified_client(personas.counsellor_a),
        "post",
        f"{API}/clients/",
        {
            **INTAKE,
            "nationality": "vn",
            "children": [{"first_name": "An", "age": 3}, {"first_name": "Binh", "age": 6}],
            "assigned": [personas.counsellor_a.pk, personas.manager_a.pk],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["case_code"].startswith("SEO-")
    assert data["nationality"] == "VN"
    assert data["phone"] == "010-9999-0000"
    assert sorted(child["first_name"] for child in data["children"]) == ["An", "Binh"]
    [case] = data["cases"]
    assert case["status"] == "intake" and case["case_types"] == ["domestic_violence"]
    assert set(Case.objects.get(pk=case["id"]).assigned.all()) == {
        personas.counsellor_a,
        personas.manager_a,
    }


def test_intake_with_one_branch_needs_no_branch_code(personas):
    values = {key: value for key, value in INTAKE.items() if key != "branch"}
    response = send(verified_client(personas.counsellor_b), "post", f"{API}/clients/", values)
    assert response.status_code == 201, response.content
    assert response.json()["branch"] == "BUS"


# --- Organisations (the shared directory) ---------------------------------------------------

ORGANISATION_READERS = set(PERSONAS) - {"auditor"}
ORGANISATION_WRITERS = {"counsellor_a", "counsellor_b", "manager_a", "coordinator", "admin"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_organisations_by_persona(personas, organisations, persona):
    user = getattr(personas, persona)
    api = verified_client(user)
    hospital = organisations["hospital"]
    reads = persona in ORGANISATION_READERS
    writes = persona in ORGANISATION_WRITERS

    assert (hospital.pk in _ids(api.get(f"{API}/organisations/"))) == reads
    assert api.get(f"{API}/organisations/{hospital.pk}/").status_code == (200 if reads else 404)
    created = send(
        api,
        "post",
        f"{API}/organisations/",
        {"name_en": "Busan Legal Aid", "kind": "legal_aid", "country": "kr"},
    )
    assert created.status_code == (201 if writes else 403), created.content
    changed = send(api, "patch", f"{API}/organisations/{hospital.pk}/", {"phone": "02-123-4567"})
    assert changed.status_code == (200 if writes else 403 if reads else 404)
    assert Organisation.objects.filter(name_en="Busan Legal Aid").exists() == writes
    hospital.refresh_from_db()
    assert (hospital.phone == "02-123-4567") == writes


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=hospital", {"hospital"}),
        ("kind=police&kind=shelter", {"police", "shelter"}),
        ("q=legal", {"legal_aid"}),
        ("q=경찰", {"police"}),
        ("country=kr", {"hospital", "legal_aid", "police", "shelter"}),
        ("country=VN", set()),
        ("scope=national&is_active=true", {"hospital", "legal_aid", "police", "shelter"}),
        ("is_active=false", set()),
    ],
)
def test_organisation_filters(personas, organisations, query, expected):
    data = verified_client(personas.counsellor_a).get(f"{API}/organisations/?{query}").json()
    assert {row["kind"] for row in data["results"]} == expected


def test_organisation_is_deactivated_not_deleted(personas, organisations):
    api = verified_client(personas.coordinator)
    url = f"{API}/organisations/{organisations['police'].pk}/"
    assert api.delete(url).status_code == 405
    assert send(api, "patch", url, {"is_active": False}).json()["is_active"] is False


# --- Bad input: a 400 naming the field, and nothing saved -----------------------------------

BAD_INPUT = {
    "unknown country": (
        lambda w: ("clients/", {**INTAKE, "nationality": "XX"}),
        "nationality",
        Client,
    ),
    "unknown language": (
        lambda w: ("clients/", {**INTAKE, "languages": ["vi", "zz"]}),
        "languages",
        Client,
    ),
    "unknown case type": (
        lambda w: ("clients/", {**INTAKE, "case": {"case_types": ["astrology"]}}),
        "case.case_types",
        Client,
    ),
    "repeated case type": (
        lambda w: ("clients/", {**INTAKE, "case": {"case_types": ["labour", "labour"]}}),
        "case.case_types",
        Client,
    ),
    "no name": (
        lambda w: ("clients/", {**INTAKE, "name_romanised": ""}),
        "non_field_errors",
        Client,
    ),
    "child too old": (
        lambda w: ("clients/", {**INTAKE, "children": [{"age": 45}]}),
        "children.0.age",
        Client,
    ),
    "unknown session language": (
        lambda w: ("sessions/", {"case": w.case.pk, "mode": "phone", "language": "zz"}),
        "language",
        CounsellingSession,
    ),
    "follow-up in the past": (
        lambda w: (
            "sessions/",
            {
                "case": w.case.pk,
                "mode": "phone",
                "follow_up_on": str(timezone.localdate() - timedelta(days=1)),
            },
        ),
        "follow_up_on",
        CounsellingSession,
    ),
    "key date without a date": (
        lambda w: ("case-events/", {"case": w.case.pk, "kind": "court_hearing"}),
        "starts_at",
        CaseEvent,
    ),
    "unknown risk indicator": (
        lambda w: ("risk-assessments/", {"case": w.case.pk, "answers": {"astrology": True}}),
        "answers",
        RiskAssessment,
    ),
    "plan review in the past": (
        lambda w: (
            "safety-plans/",
            {"case": w.case.pk, "next_review_on": str(timezone.localdate() - timedelta(days=2))},
        ),
        "next_review_on",
        SafetyPlan,
    ),
    "referral without consent or override": (
        lambda w: ("referrals/", {"case": w.case.pk, "organisation": w.orgs["police"].pk}),
        "override_reason",
        Referral,
    ),
    "referral to an unknown organisation": (
        lambda w: ("referrals/", {"case": w.case.pk, "organisation": 999999}),
        "organisation",
        Referral,
    ),
    "unknown explanation language": (
        lambda w: (
            "consents/",
            {
                "client": w.client.pk,
                "purpose": "statistics",
                "given": True,
                "explanation_language": "zz",
            },
        ),
        "explanation_language",
        Consent,
    ),
    "sharing consent without organisation kinds": (
        lambda w: (
            "consents/",
            {
                "client": w.client.pk,
                "purpose": "share_referral",
                "given": True,
                "explanation_language": "vi",
            },
        ),
        "organisation_kinds",
        Consent,
    ),
    "someone else's signed form": (
        lambda w: (
            "consents/",
            {
                "client": w.client.pk,
                "purpose": "statistics",
                "given": True,
                "explanation_language": "vi",
                "signed_form": w.other_document.pk,
            },
        ),
        "signed_form",
        Consent,
    ),
    "file too big": (
        lambda w: ("documents/", {"case": w.case.pk, "file": _upload("big.pdf", PDF * 100)}),
        "file",
        Document,
    ),
    "file named as something else": (
        lambda w: ("documents/", {"case": w.case.pk, "file": _upload("contract.pdf", PNG)}),
        "file",
        Document,
    ),
    "file that is not a document": (
        lambda w: ("documents/", {"case": w.case.pk, "file": _upload("run.pdf", b"#!/bin/sh\n")}),
        "file",
        Document,
    ),
    "file without a record": (
        lambda w: ("documents/", {"file": _upload("letter.pdf", PDF)}),
        "client",
        Document,
    ),
    "unknown country of an organisation": (
        lambda w: ("organisations/", {"name_en": "X", "kind": "ngo", "country": "XX"}),
        "country",
        Organisation,
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_a_400_naming_the_field(personas, make_case, organisations, settings, case):
    settings.DOCUMENT_MAX_BYTES = 1024
    request, field, model = BAD_INPUT[case]
    world = SimpleNamespace(case=make_case(), orgs=organisations)
    world.client = world.case.client
    world.other_document = services.document_upload(
        actor=personas.counsellor_a,
        client=make_case().client,
        uploaded_file=_upload("form.pdf", PDF),
    )
    before = model.objects.count()
    url, data = request(world)
    api = verified_client(personas.counsellor_a)
    multipart = any(isinstance(value, SimpleUploadedFile) for value in data.values())
    response = send(api, "post", f"{API}/{url}", data, multipart=multipart or url == "documents/")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error["fields"]
    assert model.objects.count() == before


def test_closing_before_opening_is_refused(personas, make_case):
    case = make_case()
    response = send(
        verified_client(personas.counsellor_a),
        "post",
        f"{API}/cases/{case.pk}/status/",
        {
            "to": "closed",
            "closure_reason": "resolved",
            "closed_on": str(case.opened_on - timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "closed_on" in response.json()["error"]["fields"]
    case.refresh_from_db()
    assert case.status == "intake" and case.closed_on is None


def test_a_case_cannot_skip_its_workflow(personas, world, organisations):
    api = verified_client(personas.counsellor_a)
    referral = services.referral_create(
        actor=personas.counsellor_a,
        case=world.case,
        organisation=organisations["shelter"],
        shares_personal_data=False,
    )
    response = send(api, "post", f"{API}/referrals/{referral.pk}/status/", {"to": "completed"})
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]
    response = send(api, "post", f"{API}/cases/{world.case.pk}/status/", {"to": "intake"})
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


def test_malformed_ids_and_dates_are_400s_not_500s(personas, world):
    api = verified_client(personas.counsellor_a)
    for url, data, field in (
        ("sessions/", {"case": "abc", "mode": "phone"}, "case"),
        ("sessions/", {"case": world.case.pk, "mode": "telepathy"}, "mode"),
        ("cases/", {"client": world.client.pk, "case_types": "labour"}, "case_types"),
        (f"cases/{world.case.pk}/assign/", {"assigned": []}, "assigned"),
        (f"cases/{world.case.pk}/assign/", {"assigned": [999999]}, "assigned"),
        (f"cases/{world.case.pk}/assign/", {"assigned": [personas.counsellor_b.pk]}, "assigned"),
        (
            "case-events/",
            {"case": world.case.pk, "kind": "other", "starts_at": "soon"},
            "starts_at",
        ),
    ):
        response = send(api, "post", f"{API}/{url}", data)
        assert response.status_code == 400, (url, response.content)
        assert field in response.json()["error"]["fields"], url
    assert api.get(f"{API}/cases/?opened_from=yesterday").status_code == 400
    assert api.get(f"{API}/cases/abc/").status_code == 404


def test_a_change_that_breaks_a_rule_is_a_400_and_nothing_changes(personas, world):
    api = verified_client(personas.counsellor_a)
    url = f"{API}/clients/{world.client.pk}/"
    response = send(api, "patch", url, {"name_original": "", "name_romanised": ""})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["error"]["fields"]
    world.client.refresh_from_db()
    assert world.client.name_romanised == NAME
    response = send(api, "patch", f"{API}/children/{world.child.pk}/", {"age": 31})
    assert response.status_code == 400
    assert "age" in response.json()["error"]["fields"]


# --- Intake duplicates ----------------------------------------------------------------------


def test_intake_warns_of_a_possible_duplicate_and_creates_when_confirmed(personas, make_case):
    birth = date(1990, 5, 17)
    known = make_case(name_romanised="Nguyen Thi Lan", birth_date=birth, phone="010-2222-3333")
    api = verified_client(personas.counsellor_a)
    values = {
        "name_romanised": "nguyen thi lan",
        "birth_date": str(birth),
        "case": {"case_types": ["labour"]},
    }

    response = send(api, "post", f"{API}/clients/", values)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "possible_duplicates"
    assert error["matches"] == [{"id": known.client_id, "case_code": known.client.case_code}]
    assert b"2222" not in response.content and b"Nguyen" not in response.content
    assert Client.objects.count() == 1

    check = send(api, "post", f"{API}/clients/check-duplicates/", {"phone": "+82 10 2222 3333"})
    assert check.status_code == 200
    assert check.json() == {
        "matches": [{"id": known.client_id, "case_code": known.client.case_code}]
    }

    confirmed = send(api, "post", f"{API}/clients/", {**values, "confirm_not_duplicate": True})
    assert confirmed.status_code == 201, confirmed.content
    assert Client.objects.count() == 2


def test_duplicate_check_does_not_reveal_other_branches(personas, make_case):
    make_case(actor=personas.counsellor_b, name_romanised="Busan Client", phone="010-7777-8888")
    api = verified_client(personas.counsellor_a)
    check = send(api, "post", f"{API}/clients/check-duplicates/", {"phone": "010-7777-8888"})
    assert check.json() == {"matches": []}
    response = send(
        api,
        "post",
        f"{API}/clients/",
        {**INTAKE, "name_romanised": "Seoul Client", "phone": "010-7777-8888"},
    )
    assert response.status_code == 201


# --- Consent and referrals ------------------------------------------------------------------


def test_consent_withdrawal_stops_referrals_that_share_her_data(personas, world, organisations):
    api = verified_client(personas.counsellor_a)
    referral = {"case": world.case.pk, "organisation": organisations["hospital"].pk}
    assert send(api, "post", f"{API}/referrals/", referral).status_code == 201

    withdrawal = send(
        api,
        "post",
        f"{API}/consents/",
        {
            "client": world.client.pk,
            "purpose": "share_referral",
            "given": False,
            "explanation_language": "vi",
        },
    )
    assert withdrawal.status_code == 201, withdrawal.content
    refused = send(api, "post", f"{API}/referrals/", referral)
    assert refused.status_code == 400
    assert "override_reason" in refused.json()["error"]["fields"]

    anonymous = send(api, "post", f"{API}/referrals/", {**referral, "shares_personal_data": False})
    assert anonymous.status_code == 201
    override = send(
        api,
        "post",
        f"{API}/referrals/",
        {**referral, "override_reason": "She is unconscious and needs surgery now."},
    )
    assert override.status_code == 201
    assert override.json()["consent"] is None
    assert AuditEvent.objects.filter(
        object_type="counselling.referral",
        object_id=str(override.json()["id"]),
        reason="consent_override",
    ).exists()
    state = api.get(f"{API}/clients/{world.client.pk}/").json()["consent"]
    assert {s["purpose"]: s["given"] for s in state}["share_referral"] is False


def test_consent_records_are_never_changed_or_removed(personas, world):
    api = verified_client(personas.counsellor_a)
    url = f"{API}/consents/{world.consent.pk}/"
    assert send(api, "patch", url, {"given": False}).status_code == 405
    assert api.delete(url).status_code == 405
    assert Consent.objects.get(pk=world.consent.pk).given is True


def test_referral_goes_through_its_statuses(personas, world):
    api = verified_client(personas.counsellor_a)
    url = f"{API}/referrals/{world.referral.pk}/status/"
    assert send(api, "post", url, {"to": "accepted"}).json()["status"] == "accepted"
    done = send(api, "post", url, {"to": "completed"}).json()
    assert done["status"] == "completed" and done["completed_on"] == str(timezone.localdate())


# --- Risk and safety ------------------------------------------------------------------------


def test_severe_risk_answers_with_follow_up_and_a_safety_plan(personas, make_case):
    case = make_case()
    api = verified_client(personas.counsellor_a)
    low = send(
        api, "post", f"{API}/risk-assessments/", {"case": case.pk, "answers": {"isolation": True}}
    ).json()
    assert (low["level"], low["score"], low["follow_up_by"]) == ("low", 1, None)
    assert low["safety_plan_active"] is False and low["active_safety_plan"] is None

    severe = send(
        api,
        "post",
        f"{API}/risk-assessments/",
        {"case": case.pk, "answers": {"threats_to_kill": True, "strangulation": True}},
    )
    assert severe.status_code == 201
    data = severe.json()
    assert data["level"] == "severe" and data["score"] == 6
    assert data["follow_up_by"] is not None
    plan = SafetyPlan.objects.get(case=case, is_active=True)
    assert data["safety_plan_active"] is True and data["active_safety_plan"] == plan.pk
    assert api.get(f"{API}/cases/{case.pk}/").json()["risk_level"] == "severe"


def test_safety_plan_items_and_reviews(personas, world):
    api = verified_client(personas.counsellor_a)
    base = f"{API}/safety-plans/{world.plan.pk}"
    added = send(api, "post", f"{base}/items/", {"action": "Spare key", "responsible": "friend"})
    assert added.status_code == 201
    assert [item["action"] for item in added.json()["items"]] == [
        "Keep a bag ready by the door",
        "Spare key",
    ]
    done = send(api, "post", f"{base}/items/{world.item.pk}/done/", {"done": True}).json()
    assert {item["id"]: item["done"] for item in done["items"]}[world.item.pk] is True
    next_review = str(timezone.localdate() + timedelta(days=14))
    reviewed = send(
        api, "post", f"{base}/reviews/", {"note": "Calmer.", "next_review_on": next_review}
    )
    assert reviewed.status_code == 201
    assert reviewed.json()["next_review_on"] == next_review
    assert len(reviewed.json()["reviews"]) == 2
    other_plan_item = SafetyPlanItem.objects.exclude(plan=world.plan).first()
    assert other_plan_item is None  # only one plan in this world
    assert send(api, "post", f"{base}/items/999999/done/", {}).status_code == 404


def test_a_new_safety_plan_replaces_the_active_one(personas, world):
    api = verified_client(personas.counsellor_a)
    response = send(api, "post", f"{API}/safety-plans/", {"case": world.case.pk})
    assert response.status_code == 201
    assert SafetyPlan.objects.get(case=world.case, is_active=True).pk == response.json()["id"]
    world.plan.refresh_from_db()
    assert world.plan.is_active is False


# --- Cases ------------------------------------------------------------------------------------


def test_case_list_filters_like_the_screens(personas, make_case):
    f6 = make_case(residence_status="F-6", case_types=["labour"])
    undocumented = make_case(residence_status="undocumented")
    make_case(actor=personas.counsellor_b, residence_status="undocumented")
    api = verified_client(personas.counsellor_a)
    assert _ids(api.get(f"{API}/cases/?residence_status=undocumented")) == [undocumented.pk]
    assert _ids(api.get(f"{API}/cases/?case_type=labour")) == [f6.pk]
    searched = api.post(
        f"{API}/cases/search/", {"q": f6.client.case_code}, content_type="application/json"
    )
    assert _ids(searched) == [f6.pk]
    assert set(_ids(api.get(f"{API}/cases/?status=intake"))) == {f6.pk, undocumented.pk}
    assert _ids(api.get(f"{API}/clients/?residence_status=undocumented")) == [
        undocumented.client_id
    ]


def test_case_timeline_lists_everything_newest_first(personas, world):
    data = verified_client(personas.counsellor_a).get(f"{API}/cases/{world.case.pk}/timeline/")
    kinds = [row["kind"] for row in data.json()["results"]]
    assert kinds[0] == "document" and kinds[-1] == "case_opened"
    assert set(kinds) >= {"session", "event", "risk", "safety_plan", "consent", "referral"}


def test_open_a_further_case_at_her_branch(personas, world):
    response = send(
        verified_client(personas.manager_a),
        "post",
        f"{API}/cases/",
        {"client": world.client.pk, "case_types": ["residence"], "restricted": True},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["branch"] == "SEO" and data["restricted"] is True
    assert [user["id"] for user in data["assigned"]] == [personas.manager_a.pk]


def test_session_for_a_case_of_another_client_cannot_be_uploaded_to_her(personas, world, make_case):
    other = make_case()
    response = send(
        verified_client(personas.counsellor_a),
        "post",
        f"{API}/documents/",
        {"client": other.client_id, "session": world.session.pk, "file": _upload("a.pdf", PDF)},
        multipart=True,
    )
    assert response.status_code == 400
    assert "case" in response.json()["error"]["fields"]


# --- Query counts -----------------------------------------------------------------------------

LIST_URLS = [
    "clients/",
    "cases/",
    "children/",
    "sessions/",
    "case-events/",
    "risk-assessments/",
    "safety-plans/",
    "referrals/",
    "consents/",
    "documents/",
    "organisations/",
    "cases/{case}/timeline/",
]


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.dates_as_data
@pytest.mark.parametrize("url", LIST_URLS)
def test_list_endpoints_do_not_grow_queries_with_rows(personas, make_case, organisations, url):
    actor = personas.counsellor_a
    first = fill_case(make_case(actor=actor), actor, organisations, severe=True)
    fill_case(make_case(actor=actor), actor, organisations)
    url = f"{API}/{url.format(case=first.case.pk)}?page_size=100"
    api = verified_client(actor)
    api.get(f"{API}/clients/")  # settle the session
    few = _queries(api, url)
    first.case.refresh_from_db()
    for number in range(23):
        fill_case(make_case(actor=actor), actor, organisations, severe=number % 2 == 0)
        services.session_record(actor=actor, case=first.case, mode="phone")  # timeline rows
        Organisation.objects.create(name_en=f"Partner {number}", kind="ngo")
    many = _queries(api, url)
    assert len(api.get(url).json()["results"]) >= 25
    assert many == few
    assert few <= 12


def test_schema_describes_the_counselling_api(personas):
    response = verified_client(personas.admin).get("/api/schema/")
    schema = yaml.safe_load(response.content)
    validate(schema)
    for path in (
        "/api/v1/organisations/",
        "/api/v1/clients/",
        "/api/v1/clients/check-duplicates/",
        "/api/v1/clients/{id}/children/",
        "/api/v1/children/{id}/",
        "/api/v1/cases/{id}/status/",
        "/api/v1/cases/{id}/assign/",
        "/api/v1/cases/{id}/timeline/",
        "/api/v1/sessions/",
        "/api/v1/case-events/",
        "/api/v1/risk-assessments/",
        "/api/v1/safety-plans/{id}/items/{item_id}/done/",
        "/api/v1/safety-plans/{id}/reviews/",
        "/api/v1/referrals/{id}/status/",
        "/api/v1/consents/",
        "/api/v1/documents/{id}/download/",
    ):
        assert path in schema["paths"], path
    intake = schema["paths"]["/api/v1/clients/"]["post"]
    assert set(intake["responses"]) >= {"201", "409"}
    upload = schema["paths"]["/api/v1/documents/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload


def test_download_ignores_a_narrow_accept_header(personas, make_case, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from counselling import services as counselling_services

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    case = make_case()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    document = counselling_services.document_upload(
        actor=personas.counsellor_a,
        client=case.client,
        uploaded_file=SimpleUploadedFile("letter.pdf", pdf),
    )
    response = verified_client(personas.counsellor_a).get(
        f"/api/v1/documents/{document.pk}/download/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert response["Content-Type"] == "application/pdf"
