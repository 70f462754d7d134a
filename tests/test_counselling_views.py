"""The counselling screens, through HTTP as each persona would use them."""

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counselling import services
from counselling.models import (
    Case,
    CaseStatus,
    Child,
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
from tests.conftest import verified_client
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
NOT_FOUND_EVERYWHERE = ["coordinator", "policy_officer", "auditor", "volunteer"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def world(personas, make_case, branch_a):
    """A Seoul case of counsellor A with a document, and a restricted Seoul case
    assigned only to a second Seoul counsellor."""
    case = make_case(name_original="응우옌 티 란", name_romanised="Nguyen Thi Lan")
    document = services.document_upload(
        actor=personas.counsellor_a,
        client=case.client,
        case=case,
        uploaded_file=SimpleUploadedFile("injury.png", PNG),
        title="Photo of injuries",
    )
    colleague = UserFactory(
        email="counsellor.a2@example.org", role=Role.COUNSELLOR, branches=[branch_a]
    )
    restricted = make_case(actor=colleague, restricted=True)
    return {"case": case, "document": document, "colleague": colleague, "restricted": restricted}


def _pages(world):
    case = world["case"]
    return {
        "index": "/counselling/",
        "intake": "/counselling/intake/",
        "client": f"/counselling/clients/{case.client_id}/",
        "client_edit": f"/counselling/clients/{case.client_id}/edit/",
        "case": f"/counselling/cases/{case.pk}/",
        "download": f"/counselling/documents/{world['document'].pk}/download/",
        "caseload": "/counselling/caseload/",
    }


# persona -> expected status per page (index, intake, client, client_edit, case, download, caseload)
EXPECTED = {
    "counsellor_a": dict(
        index=200, intake=200, client=200, client_edit=200, case=200, download=200, caseload=404
    ),
    "counsellor_b": dict(
        index=200, intake=200, client=404, client_edit=404, case=404, download=404, caseload=404
    ),
    "manager_a": dict(
        index=200, intake=200, client=200, client_edit=200, case=200, download=200, caseload=200
    ),
    "shelter_worker_a": dict(
        index=200, intake=403, client=200, client_edit=403, case=200, download=200, caseload=404
    ),
    "admin": dict(
        index=200, intake=200, client=200, client_edit=200, case=200, download=200, caseload=200
    ),
    **{
        persona: dict(
            index=404,
            intake=404,
            client=404,
            client_edit=404,
            case=404,
            download=404,
            caseload=404,
        )
        for persona in NOT_FOUND_EVERYWHERE
    },
}
PERMISSION_CASES = [
    (persona, page, status) for persona, pages in EXPECTED.items() for page, status in pages.items()
]


@pytest.mark.parametrize(("persona", "page", "expected"), PERMISSION_CASES)
def test_who_may_open_each_screen(personas, world, persona, page, expected):
    response = verified_client(getattr(personas, persona)).get(_pages(world)[page])
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("counsellor_a", 404), ("colleague", 200), ("manager_a", 200), ("admin", 404)],
)
@pytest.mark.parametrize("page", ["case", "client"])
def test_a_restricted_case_only_for_its_staff_and_the_branch_manager(
    personas, world, who, expected, page
):
    user = world["colleague"] if who == "colleague" else getattr(personas, who)
    restricted = world["restricted"]
    path = (
        f"/counselling/cases/{restricted.pk}/"
        if page == "case"
        else f"/counselling/clients/{restricted.client_id}/"
    )
    assert verified_client(user).get(path).status_code == expected


def test_restricted_case_is_not_listed_for_others(personas, world):
    restricted = world["restricted"]
    link = f"/counselling/clients/{restricted.client_id}/"
    search = {"q": restricted.client.case_code}
    as_a = verified_client(personas.counsellor_a).post("/counselling/", search)
    assert link not in as_a.content.decode()
    as_manager = verified_client(personas.manager_a).post("/counselling/", search)
    assert link in as_manager.content.decode()
    html = verified_client(personas.manager_a).get("/counselling/caseload/").content.decode()
    assert f"/counselling/cases/{restricted.pk}/" in html


def _write_posts(world):
    case, referral, item = world["case"], world["referral"], world["item"]
    c, k = case.client_id, case.pk
    return [
        (f"/counselling/clients/{c}/edit/", {"name_romanised": "Changed"}),
        (
            f"/counselling/clients/{c}/consent/",
            {"consent-purpose": "statistics", "consent-given": "on"},
        ),
        (f"/counselling/clients/{c}/cases/", {"case-case_types": ["labour"]}),
        (f"/counselling/cases/{k}/status/", {"status-to": "active"}),
        (f"/counselling/cases/{k}/assign/", {"assign-assigned": [case.assigned.first().pk]}),
        (f"/counselling/cases/{k}/sessions/", {"session-mode": "phone"}),
        (f"/counselling/cases/{k}/events/", {"event-kind": "other"}),
        (f"/counselling/cases/{k}/risk/", {"risk-weapon": "on"}),
        (f"/counselling/cases/{k}/safety-plan/", {}),
        (f"/counselling/cases/{k}/safety-plan/items/", {"item-action": "x"}),
        (f"/counselling/cases/{k}/safety-plan/review/", {}),
        (f"/counselling/cases/{k}/referrals/", {}),
        (f"/counselling/cases/{k}/documents/", {}),
        (f"/counselling/safety-plan-items/{item.pk}/done/", {"done": "on"}),
        (f"/counselling/referrals/{referral.pk}/status/", {"to": "accepted"}),
    ]


@pytest.fixture
def world_with_records(world, personas, organisations):
    case = world["case"]
    plan = services.safety_plan_create(actor=personas.counsellor_a, case=case)
    world["item"] = services.safety_plan_item_add(
        actor=personas.counsellor_a, plan=plan, action="Pack a bag", responsible="Lan"
    )
    world["referral"] = services.referral_create(
        actor=personas.counsellor_a,
        case=case,
        organisation=organisations["hospital"],
        shares_personal_data=False,
    )
    return world


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("shelter_worker_a", 403), ("counsellor_b", 404), ("volunteer", 404), ("auditor", 404)],
)
def test_writes_are_refused_to_readers_and_strangers(
    personas, world_with_records, persona, expected
):
    client = verified_client(getattr(personas, persona))
    before = AuditEvent.objects.exclude(action=AuditAction.PERMISSION_DENIED).count()
    for path, data in _write_posts(world_with_records):
        response = client.post(path, data)
        assert response.status_code == expected, path
    assert AuditEvent.objects.exclude(action=AuditAction.PERMISSION_DENIED).count() == before
    assert Case.objects.count() == 2
    assert not SafetyPlanItem.objects.filter(done=True).exists()


def test_shelter_worker_sees_no_write_forms(personas, world):
    html = (
        verified_client(personas.shelter_worker_a)
        .get(f"/counselling/cases/{world['case'].pk}/")
        .content.decode()
    )
    assert "Nguyen Thi Lan" in html
    assert 'method="post" action="/counselling/' not in html


# --- Audit --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "object_type"),
    [
        ("client", "counselling.client"),
        ("case", "counselling.case"),
        ("download", "counselling.document"),
    ],
)
def test_detail_pages_and_downloads_are_audited_reads(personas, world, page, object_type):
    user = personas.counsellor_a
    response = verified_client(user).get(_pages(world)[page])
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, actor=user, object_type=object_type
    ).exists()


def test_download_serves_the_file_as_an_attachment_never_cached(personas, world):
    response = verified_client(personas.counsellor_a).get(_pages(world)["download"])
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "injury.png" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_pages_with_case_data_are_not_cached(personas, world):
    response = verified_client(personas.counsellor_a).get(_pages(world)["case"])
    assert "no-store" in response["Cache-Control"]


# --- Intake -------------------------------------------------------------------------------


def _intake_data(branch, **overrides):
    data = {
        "name_original": "",
        "name_romanised": "Tran Thi Mai",
        "birth_date": "1992-03-04",
        "nationality": "VN",
        "languages": ["vi", "ko"],
        "interpreter_needed": "on",
        "residence_status": "F-6",
        "visa_expiry": "2027-01-31",
        "marital_status": "separated",
        "phone": "010-9876-5432",
        "address": "서울시 어딘가",
        "safe_contact": "Never leave a message",
        "narrative": "Her husband took her passport.",
        "case_types": ["domestic_violence", "residence"],
        "summary": "Needs a confirmation letter for the divorce.",
        "branch": str(branch.pk),
        "children-TOTAL_FORMS": "2",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "12",
        "children-0-first_name": "Minh",
        "children-0-age": "4",
        "children-0-lives_with_client": "on",
        "children-1-lives_with_client": "on",
    }
    data.update(overrides)
    return data


def test_intake_registers_her_and_opens_the_case(personas, branch_a):
    client = verified_client(personas.counsellor_a)
    assert client.get("/counselling/intake/").status_code == 200
    response = client.post("/counselling/intake/", _intake_data(branch_a))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/counselling/cases/{case.pk}/"
    her = case.client
    assert her.name_romanised == "Tran Thi Mai"
    assert her.languages == ["vi", "ko"] and her.interpreter_needed
    assert her.residence_status == "F-6"
    assert case.case_types == ["domestic_violence", "residence"]
    assert list(case.assigned.all()) == [personas.counsellor_a]
    assert [c.first_name for c in Child.objects.filter(client=her)] == ["Minh"]
    page = client.get(response["Location"]).content.decode()
    assert her.case_code in page


def test_intake_warns_of_a_possible_duplicate_then_registers_when_confirmed(
    personas, branch_a, make_case
):
    existing = make_case(name_romanised="Tran Thi Mai", phone="010-9876-5432")
    client = verified_client(personas.counsellor_a)
    response = client.post("/counselling/intake/", _intake_data(branch_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert existing.client.case_code in html
    assert f"/counselling/clients/{existing.client_id}/" in html
    assert "confirm_not_duplicate" in html
    assert Client.objects.count() == 1
    response = client.post(
        "/counselling/intake/", _intake_data(branch_a, confirm_not_duplicate="on")
    )
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_intake_duplicate_warning_does_not_name_clients_of_other_branches(
    personas, branch_a, make_case
):
    make_case(actor=personas.counsellor_b, name_romanised="Tran Thi Mai", phone="010-9876-5432")
    response = verified_client(personas.counsellor_a).post(
        "/counselling/intake/", _intake_data(branch_a)
    )
    assert response.status_code == 302  # she is not known to this counsellor


@pytest.mark.parametrize(
    "overrides",
    [
        {"nationality": "XX"},
        {"languages": ["xx"]},
        {"name_romanised": ""},
        {"case_types": []},
        {"children-0-age": "45"},
    ],
)
def test_intake_with_bad_input_shows_the_form_again_and_saves_nothing(
    personas, branch_a, overrides
):
    response = verified_client(personas.counsellor_a).post(
        "/counselling/intake/", _intake_data(branch_a, **overrides)
    )
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in (
        response.content.decode()
    )
    assert Client.objects.count() == 0 and Case.objects.count() == 0 and Child.objects.count() == 0


def test_intake_only_into_her_own_branches(personas, branch_b):
    response = verified_client(personas.counsellor_a).post(
        "/counselling/intake/", _intake_data(branch_b)
    )
    assert response.status_code == 200
    assert Client.objects.count() == 0


def test_intake_error_from_the_service_is_shown_on_the_form(personas, branch_a, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"branch": "You do not work at this branch.", "other": "Oops"})

    monkeypatch.setattr(services, "client_intake", refuse)
    response = verified_client(personas.counsellor_a).post(
        "/counselling/intake/", _intake_data(branch_a)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "You do not work at this branch." in html and "Oops" in html


# --- Client page --------------------------------------------------------------------------


def test_client_page_shows_her_details_children_consent_cases_and_documents(personas, world):
    case = world["case"]
    services.client_update(
        actor=personas.counsellor_a,
        client=case.client,
        safe_contact="Call only 10-16h",
        residence_status="undocumented",
    )
    services.child_add(actor=personas.counsellor_a, client=case.client, first_name="Hoa", age=3)
    html = (
        verified_client(personas.counsellor_a)
        .get(f"/counselling/clients/{case.client_id}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    for text in (
        "Nguyen Thi Lan",
        "Call only 10-16h",
        "Undocumented",
        "Hoa",
        "Anonymised statistical use in reports",
        "never asked",
        case.client.case_code,
        "Photo of injuries",
        f"/counselling/cases/{case.pk}/",
    ):
        assert text in html, text


def test_client_edit_saves_through_the_service(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    form = client.get(f"/counselling/clients/{case.client_id}/edit/").content.decode()
    assert "Nguyen Thi Lan" in form
    data = {
        "name_original": "응우옌 티 란",
        "name_romanised": "Nguyen Thi Lan",
        "nationality": "VN",
        "languages": ["vi"],
        "marital_status": "divorce_pending",
        "residence_status": "F-6",
        "phone": "010-5555-0001",
    }
    response = client.post(f"/counselling/clients/{case.client_id}/edit/", data)
    assert response.status_code == 302
    her = Client.objects.get(pk=case.client_id)
    assert her.marital_status == "divorce_pending"
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="counselling.client"
    ).exists()
    bad = client.post(
        f"/counselling/clients/{case.client_id}/edit/", {**data, "estimated_age": "300"}
    )
    assert bad.status_code == 200
    assert Client.objects.get(pk=case.client_id).estimated_age is None


def test_saving_her_details_unchanged_records_no_change(personas, world):
    case = world["case"]
    services.client_update(
        actor=personas.counsellor_a,
        client=case.client,
        birth_date=date(1990, 5, 17),
        address="Somewhere 1",
        interpreter_needed=True,
    )
    client = verified_client(personas.counsellor_a)
    url = f"/counselling/clients/{case.client_id}/edit/"
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()  # what the browser would send back
        if value not in (None, False):
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    before = AuditEvent.objects.filter(action=AuditAction.UPDATE).count()
    assert client.post(url, data).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == before


def test_consent_is_recorded_and_withdrawn(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    url = f"/counselling/clients/{case.client_id}/consent/"
    response = client.post(
        url,
        {
            "consent-purpose": "share_referral",
            "consent-given": "on",
            "consent-organisation_kinds": ["hospital", "legal_aid"],
            "consent-decided_on": timezone.localdate().isoformat(),
            "consent-explanation_language": "vi",
        },
    )
    assert response.status_code == 302
    missing_kinds = client.post(
        url,
        {
            "consent-purpose": "share_referral",
            "consent-given": "on",
            "consent-decided_on": timezone.localdate().isoformat(),
            "consent-explanation_language": "vi",
        },
    )
    assert missing_kinds.status_code == 200
    assert "Say which kinds of organisation" in missing_kinds.content.decode() or (
        "consent-form" in missing_kinds.content.decode()
    )
    withdraw = client.post(
        url,
        {
            "consent-purpose": "share_referral",
            "consent-decided_on": timezone.localdate().isoformat(),
            "consent-explanation_language": "vi",
        },
    )
    assert withdraw.status_code == 302
    assert [c.given for c in Consent.objects.order_by("id")] == [True, False]


def test_another_case_is_opened_from_her_page(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    response = client.post(
        f"/counselling/clients/{case.client_id}/cases/",
        {"case-case_types": ["labour"], "case-summary": "Unpaid wages"},
    )
    assert response.status_code == 302
    new = Case.objects.exclude(pk__in=[case.pk, world["restricted"].pk]).get()
    assert new.client_id == case.client_id and new.case_types == ["labour"]
    empty = client.post(f"/counselling/clients/{case.client_id}/cases/", {})
    assert empty.status_code == 200
    assert Case.objects.count() == 3


# --- Case page ----------------------------------------------------------------------------


def test_case_page_shows_header_and_timeline_newest_first(personas, world):
    case = world["case"]
    services.session_record(actor=personas.counsellor_a, case=case, mode="phone")
    html = (
        verified_client(personas.counsellor_a)
        .get(f"/counselling/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert case.client.case_code in html
    assert "Domestic violence" in html
    timeline = html[html.index('id="timeline"') :]
    assert timeline.index("Session") < timeline.index("Case opened")
    assert f"/counselling/documents/{world['document'].pk}/download/" in timeline
    assert "Intake → Active" in timeline


def test_status_actions_activate_close_and_reopen(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    url = f"/counselling/cases/{case.pk}/status/"
    assert client.post(url, {"status-to": "active"}).status_code == 302
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {"status-to": "closed", "status-closed_on": today, "status-closure_reason": "resolved"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "resolved"
    assert client.post(url, {"status-to": "active"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE and case.closed_on is None


def test_closing_before_the_case_opened_is_refused(personas, world):
    case = world["case"]
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = verified_client(personas.counsellor_a).post(
        f"/counselling/cases/{case.pk}/status/",
        {"status-to": "closed", "status-closed_on": yesterday, "status-closure_reason": "resolved"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "A case cannot close before it opened." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE
    # The page shown again with the error is a read of the case, audited too.
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="counselling.case", reason="form_errors"
    ).exists()


def test_closing_needs_a_reason(personas, world):
    case = world["case"]
    response = verified_client(personas.counsellor_a).post(
        f"/counselling/cases/{case.pk}/status/", {"status-to": "closed"}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE


def test_assign_form(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    url = f"/counselling/cases/{case.pk}/assign/"
    response = client.post(
        url, {"assign-assigned": [personas.counsellor_a.pk, world["colleague"].pk]}
    )
    assert response.status_code == 302
    assert set(case.assigned.all()) == {personas.counsellor_a, world["colleague"]}
    outsider = client.post(url, {"assign-assigned": [personas.counsellor_b.pk]})
    assert outsider.status_code == 200
    assert set(case.assigned.all()) == {personas.counsellor_a, world["colleague"]}


def _session_data(**overrides):
    data = {
        "session-started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "session-duration_minutes": "45",
        "session-mode": "in_person",
        "session-language": "vi",
        "session-interpreter_name": "Le Van",
        "session-services": ["counselling", "legal_advice"],
        "session-notes": "Talked about the divorce procedure.",
        "session-follow_up_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    data.update(overrides)
    return data


def test_recording_a_session(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    response = client.post(f"/counselling/cases/{case.pk}/sessions/", _session_data())
    assert response.status_code == 302
    session = CounsellingSession.objects.get()
    assert session.services == ["counselling", "legal_advice"] and session.language == "vi"
    assert session.staff == personas.counsellor_a
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    html = client.get(f"/counselling/cases/{case.pk}/").content.decode()
    assert "Talked about the divorce procedure." in html


def test_a_follow_up_in_the_past_is_refused(personas, world):
    case = world["case"]
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = verified_client(personas.counsellor_a).post(
        f"/counselling/cases/{case.pk}/sessions/",
        _session_data(**{"session-follow_up_on": past}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This date is in the past." in html
    assert 'id="session-form" class="collapse show' in html
    assert CounsellingSession.objects.count() == 0


def test_adding_a_key_date(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    when = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/counselling/cases/{case.pk}/events/",
        {
            "event-kind": "court_hearing",
            "event-starts_at": when,
            "event-place": "Seoul Family Court",
        },
    )
    assert response.status_code == 302
    assert case.events.get().place == "Seoul Family Court"
    assert client.post(f"/counselling/cases/{case.pk}/events/", {}).status_code == 200


def test_a_high_risk_checklist_shows_the_48_hour_alert_and_opens_a_plan(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    response = client.post(
        f"/counselling/cases/{case.pk}/risk/",
        {"risk-threats_to_kill": "on", "risk-weapon": "on", "risk-notes": "Knife at home"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    assessment = RiskAssessment.objects.get()
    assert assessment.level == "severe" and assessment.follow_up_by is not None
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "risk-alert" in html and "within 48 hours" in html
    assert "He has threatened to kill her (or the children)" in html
    assert SafetyPlan.objects.filter(case=case, is_active=True).exists()


def test_a_low_risk_checklist_has_no_alert(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    client.post(f"/counselling/cases/{case.pk}/risk/", {"risk-isolation": "on"})
    html = client.get(f"/counselling/cases/{case.pk}/").content.decode()
    assert "risk-alert" not in html
    assert RiskAssessment.objects.get().level == "low"


def test_safety_plan_steps_done_toggle_and_review(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    base = f"/counselling/cases/{case.pk}/safety-plan/"
    assert client.post(base, {"plan-notes": "Plan A"}).status_code == 302
    assert (
        client.post(
            base + "items/",
            {"item-action": "Keep a copy of her passport", "item-responsible": "Lan"},
        ).status_code
        == 302
    )
    item = SafetyPlanItem.objects.get()
    assert client.post(f"/counselling/safety-plan-items/{item.pk}/done/", {"done": "on"})[
        "Location"
    ].endswith("#safety-plan")
    item.refresh_from_db()
    assert item.done
    client.post(f"/counselling/safety-plan-items/{item.pk}/done/", {})
    item.refresh_from_db()
    assert not item.done
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert client.post(base + "review/", {"review-next_review_on": past}).status_code == 200
    assert client.post(base + "review/", {"review-note": "All fine"}).status_code == 302
    assert item.plan.reviews.count() == 1


def test_referral_needs_consent_or_an_override_reason(personas, world, organisations):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    url = f"/counselling/cases/{case.pk}/referrals/"
    hospital = organisations["hospital"].pk
    refused = client.post(
        url,
        {"referral-organisation": hospital, "referral-shares_personal_data": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 200
    assert "She has not consented" in refused.content.decode()
    assert Referral.objects.count() == 0
    response = client.post(
        url,
        {
            "referral-organisation": hospital,
            "referral-shares_personal_data": "on",
            "referral-override_reason": "She is unconscious and needs treatment now.",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent_override_reason
    status_url = f"/counselling/referrals/{referral.pk}/status/"
    assert client.post(status_url, {"to": "completed"}).status_code == 200  # not yet accepted
    assert client.post(status_url, {"to": "accepted"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"


def test_document_upload_and_a_pdf_that_is_really_text(personas, world):
    case = world["case"]
    client = verified_client(personas.counsellor_a)
    url = f"/counselling/cases/{case.pk}/documents/"
    response = client.post(
        url,
        {"document-title": "Police report", "document-file": SimpleUploadedFile("r.pdf", PDF)},
    )
    assert response.status_code == 302
    assert Document.objects.count() == 2
    fake = client.post(
        url,
        {"document-file": SimpleUploadedFile("fake.pdf", b"#!/bin/sh\nrm -rf /\n")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert fake.status_code == 200
    assert "Only PDF, image and Office files" in fake.content.decode()
    assert Document.objects.count() == 2


def test_writes_on_a_closed_case_show_an_error_not_a_crash(personas, world):
    case = world["case"]
    services.case_change_status(
        actor=personas.counsellor_a, case=case, to="closed", closure_reason="resolved"
    )
    response = verified_client(personas.counsellor_a).post(
        f"/counselling/cases/{case.pk}/sessions/", _session_data(), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "This case is closed. Reopen it first." in response.content.decode()


# --- Caseload -----------------------------------------------------------------------------


def test_caseload_filters_and_counts(personas, world, make_case):
    make_case(case_types=["labour"])
    client = verified_client(personas.manager_a)
    html = client.get("/counselling/caseload/?case_type=labour", HTTP_ACCEPT_LANGUAGE="en")
    assert html.status_code == 200
    text = html.content.decode()
    assert "Labour rights" in text
    assert world["case"].client.case_code not in text
    everything = client.get("/counselling/caseload/").content.decode()
    assert world["case"].client.case_code in everything
    assert world["restricted"].client.case_code in everything


# --- Query counts -------------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as context:
        if "?q=" in path:  # the search is a POST
            url, query = path.split("?q=")
            response = client.post(url, {"q": query})
        else:
            response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("persona", "path"),
    [
        ("counsellor_a", "/counselling/"),
        ("counsellor_a", "/counselling/?q=Client"),
        ("manager_a", "/counselling/caseload/"),
    ],
)
def test_list_pages_run_a_constant_number_of_queries(personas, make_case, persona, path):
    user = getattr(personas, persona)
    assigned = [personas.counsellor_a]
    for _ in range(2):
        make_case(assigned=assigned)
    client = verified_client(user)
    client.get(path)  # warm up (session, content types)
    few = _queries(client, path)
    for _ in range(23):
        make_case(assigned=assigned, case_types=["labour", "residence"])
    many = _queries(client, path)
    assert few == many
    assert Case.objects.count() == 25


# --- Language and markup ------------------------------------------------------------------


def test_screens_are_korean_by_default_and_english_on_request(personas, world):
    client = verified_client(personas.counsellor_a)
    path = f"/counselling/cases/{world['case'].pk}/"
    korean = client.get(path).content.decode()
    assert '<html lang="ko">' in korean
    assert "상담 회기" in korean and "위험" in korean
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english
    assert "Sessions" in english and "Record a session" in english
    assert "상담 회기" not in english
    index = client.get("/counselling/").content.decode()
    assert "내 사례" in index


@pytest.mark.parametrize("page", ["index", "intake", "client", "client_edit", "case", "caseload"])
def test_pages_have_no_inline_script_or_style(personas, world, page):
    response = verified_client(personas.manager_a).get(_pages(world)[page])
    assert response.status_code == 200
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline script on {page}: {tag}"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_search_is_posted_so_names_never_enter_a_url(personas, make_case):
    make_case(name_romanised="Tran Thi Secret", assigned=[personas.manager_a])
    client = verified_client(personas.counsellor_a)
    ignored = client.get("/counselling/?q=Secret")
    assert "Tran Thi Secret" not in ignored.content.decode()
    found = client.post("/counselling/", {"q": "Secret"})
    assert "Tran Thi Secret" in found.content.decode()
    assert 'method="get"' not in found.content.decode().split('role="search"')[0][-200:]


def test_a_document_can_be_stored_on_the_client_without_a_case(
    personas, make_case, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from counselling.models import Document

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    case = make_case()
    url = f"/counselling/clients/{case.client_id}/documents/"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = verified_client(personas.counsellor_a).post(
        url,
        {
            "document-title": "Passport copy",
            "document-file": SimpleUploadedFile("passport.pdf", pdf),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.client_id, document.case_id) == (case.client_id, None)
    refused = verified_client(personas.counsellor_a).post(
        url,
        {"document-title": "Fake", "document-file": SimpleUploadedFile("fake.pdf", b"plain text")},
    )
    assert refused.status_code == 200
    assert Document.objects.count() == 1
    assert verified_client(personas.counsellor_b).post(url, {}).status_code == 404
    assert verified_client(personas.shelter_worker_a).post(url, {}).status_code == 403
