"""Consent at intake: the explanation in her language, each purpose decided
separately, everything saved in one transaction; the first referral that
follows; the signed form attached; withdrawal; and who may do what."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from counselling import services
from counselling.consent_texts.models import ConsentText
from counselling.models import Case, CaseCodeCounter, Client, Consent, Document, Referral
from ngo.audit.models import AuditEvent
from tests.conftest import verified_client
from tests.test_counselling_views import _intake_data

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
REFUSED_MESSAGE = "She has not consented to sharing her data with this kind of organisation."


def _with_consent(branch, *, share: str, **more):
    return _intake_data(
        branch,
        consent_language="vi",
        interpreter_explained="on",
        consent_store_data="given",
        consent_share_referral=share,
        consent_share_kinds=["hospital", "legal_aid"] if share == "given" else [],
        consent_statistics="refused",
        **more,
    )


def _intake(personas, branch, data):
    browser = verified_client(personas.counsellor_a)
    response = browser.post("/counselling/intake/", data, HTTP_ACCEPT_LANGUAGE="en")
    return browser, response


def test_intake_shows_the_explanation_in_the_language_chosen(personas, branch_a):
    browser = verified_client(personas.counsellor_a)
    page = browser.get("/counselling/intake/").content.decode()
    assert 'hx-get="/counselling/consent-texts/explanation/"' in page
    korean = ConsentText.objects.get(language="ko", section="rights", is_current=True).body
    assert korean in page  # nothing chosen yet: Korean
    shown = browser.post(
        "/counselling/intake/",
        {**_intake_data(branch_a), "consent_language": "mn", "show_explanation": "1"},
    )
    assert shown.status_code == 200
    mongolian = ConsentText.objects.get(language="mn", section="rights", is_current=True)
    assert mongolian.body in shown.content.decode()
    assert not Client.objects.exists()  # showing the explanation saves nothing


def test_intake_explanation_gives_the_contact_of_her_branch(personas, branch_a, settings):
    settings.HEAD_OFFICE_ADDRESS = "서울특별시 중구 세종대로 110"
    settings.HEAD_OFFICE_PHONE = "02-123-4567"
    browser = verified_client(personas.counsellor_a)
    page = browser.get("/counselling/intake/").content.decode()
    # The branch has no contact yet: the head office's, from the settings.
    assert "본부 · Head office · 서울특별시 중구 세종대로 110 · 02-123-4567" in page
    assert 'hx-include="#id_branch"' in page  # the explanation follows the branch chosen
    branch_a.address_ko = "서울특별시 종로구 대학로 12"
    branch_a.address_en = "12 Daehak-ro, Jongno-gu, Seoul"
    branch_a.phone = "02-3672-0000"
    branch_a.save()
    page = browser.get("/counselling/intake/").content.decode()
    assert "서울지부 · Seoul branch · 서울특별시 종로구 대학로 12 · 02-3672-0000" in page
    assert "세종대로" not in page
    shown = browser.post(
        "/counselling/intake/",
        {**_intake_data(branch_a), "consent_language": "tl", "show_explanation": "1"},
    ).content.decode()
    assert (
        "서울지부 · Seoul branch · 서울특별시 종로구 대학로 12 · "
        "12 Daehak-ro, Jongno-gu, Seoul · 02-3672-0000"
    ) in shown


def test_intake_with_sharing_consent_allows_the_first_referral(personas, branch_a, organisations):
    _browser, response = _intake(personas, branch_a, _with_consent(branch_a, share="given"))
    assert response.status_code == 302
    case = Case.objects.get()
    decisions = {c.purpose: c for c in Consent.objects.filter(client=case.client)}
    assert set(decisions) == {"store_data", "share_referral", "statistics"}  # advocacy not asked
    assert decisions["statistics"].given is False  # a refusal is recorded too
    share = decisions["share_referral"]
    assert share.given and share.organisation_kinds == ["hospital", "legal_aid"]
    assert share.explanation_language == "vi" and share.interpreter_explained
    shown = {(t.language, t.section, t.version) for t in share.texts_shown.all()}
    assert shown == {
        ("vi", "share_referral", 1),
        ("vi", "retention", 1),
        ("vi", "rights", 1),
        ("vi", "contact", 1),
    }
    referral = services.referral_create(
        actor=personas.counsellor_a, case=case, organisation=organisations["hospital"]
    )
    assert referral.consent == share and referral.consent_override_reason == ""


def test_intake_without_sharing_consent_still_blocks_the_referral(
    personas, branch_a, organisations
):
    _browser, response = _intake(personas, branch_a, _with_consent(branch_a, share="refused"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert Consent.objects.get(client=case.client, purpose="share_referral").given is False
    with pytest.raises(ValidationError) as refused:
        services.referral_create(
            actor=personas.counsellor_a, case=case, organisation=organisations["hospital"]
        )
    assert REFUSED_MESSAGE in refused.value.message_dict["override_reason"][0]
    assert not Referral.objects.exists()


def test_sharing_without_kinds_or_decisions_without_a_language_save_nothing(personas, branch_a):
    _b, response = _intake(
        personas, branch_a, {**_with_consent(branch_a, share="given"), "consent_share_kinds": []}
    )
    assert response.status_code == 200
    assert "Say which kinds of organisation she agreed to." in response.content.decode()
    _b, response = _intake(
        personas, branch_a, {**_with_consent(branch_a, share="refused"), "consent_language": ""}
    )
    assert "Say in which language the consent was explained." in response.content.decode()
    assert not Client.objects.exists() and not Consent.objects.exists()


def test_a_failing_consent_leaves_no_client_no_case_no_consent(personas, branch_a):
    with pytest.raises(ValidationError) as refused:
        services.client_intake(
            actor=personas.counsellor_a,
            branch=branch_a,
            client={"name_romanised": "Mai", "languages": ["vi"]},
            case={"case_types": ["domestic_violence"]},
            consents=[
                {"purpose": "store_data", "given": True},
                {"purpose": "share_referral", "given": True, "organisation_kinds": []},
            ],
            consent_language="vi",
            confirm_not_duplicate=True,
        )
    assert "organisation_kinds" in refused.value.message_dict
    assert not Client.objects.exists() and not Case.objects.exists()
    assert not Consent.objects.exists() and not CaseCodeCounter.objects.exists()
    assert not AuditEvent.objects.filter(object_type="counselling.client").exists()


def test_a_language_without_texts_records_the_korean_and_english_shown(personas, branch_a):
    _client, case = services.client_intake(
        actor=personas.counsellor_a,
        branch=branch_a,
        client={"name_romanised": "Aiko", "languages": ["ja"]},
        case={"case_types": ["labour"]},
        consents=[{"purpose": "store_data", "given": True}],
        consent_language="ja",
        confirm_not_duplicate=True,
    )
    consent = case.client.consents.get()
    assert consent.explanation_language == "ja"
    assert {t.language for t in consent.texts_shown.all()} == {"en", "ko"}


def test_api_intake_takes_the_consent_step(personas, branch_a, organisations):
    api = verified_client(personas.counsellor_a)
    body = {
        "name_romanised": "Sokha",
        "languages": ["km"],
        "case": {"case_types": ["domestic_violence"]},
        "consents": [
            {"purpose": "share_referral", "given": True, "organisation_kinds": ["legal_aid"]},
            {"purpose": "advocacy_story", "given": False},
        ],
        "consent_language": "km",
        "interpreter_explained": True,
        "confirm_not_duplicate": True,
    }
    missing = api.post(
        "/api/v1/clients/",
        {**body, "consent_language": None},
        content_type="application/json",
    )
    assert missing.status_code == 400 and not Client.objects.exists()
    twice = api.post(
        "/api/v1/clients/",
        {**body, "consents": body["consents"] + [{"purpose": "advocacy_story", "given": True}]},
        content_type="application/json",
    )
    assert twice.status_code == 400 and not Client.objects.exists()
    response = api.post("/api/v1/clients/", body, content_type="application/json")
    assert response.status_code == 201
    consent_state = {row["purpose"]: row["given"] for row in response.json()["consent"]}
    assert consent_state == {
        "store_data": None,
        "share_referral": True,
        "statistics": None,
        "advocacy_story": False,
    }
    case = Case.objects.get()
    services.referral_create(
        actor=personas.counsellor_a, case=case, organisation=organisations["legal_aid"]
    )
    listed = api.get("/api/v1/consents/", {"client": case.client_id}).json()["results"]
    share = next(row for row in listed if row["purpose"] == "share_referral")
    assert share["interpreter_explained"] is True
    assert {(t["language"], t["section"]) for t in share["texts_shown"]} >= {
        ("km", "share_referral"),
        ("km", "rights"),
    }


def test_api_consent_records_the_interpreter_and_the_texts(personas, make_case):
    case = make_case()
    api = verified_client(personas.counsellor_a)
    response = api.post(
        "/api/v1/consents/",
        {
            "client": case.client_id,
            "purpose": "statistics",
            "given": True,
            "explanation_language": "tl",
            "interpreter_explained": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["interpreter_explained"] is True
    assert {t["language"] for t in data["texts_shown"]} == {"tl"}


def test_withdrawal_keeps_working_and_the_page_shows_the_version_shown(
    personas, branch_a, organisations
):
    browser, _response = _intake(personas, branch_a, _with_consent(branch_a, share="given"))
    case = Case.objects.get()
    page = browser.get(f"/counselling/clients/{case.client_id}/").content.decode()
    assert "vi/share_referral v1" in page
    withdrawn = browser.post(
        f"/counselling/clients/{case.client_id}/consent/",
        {
            "consent-purpose": "share_referral",
            "consent-decided_on": timezone.localdate().isoformat(),
            "consent-explanation_language": "vi",
        },
    )
    assert withdrawn.status_code == 302
    assert services.consent_in_force(case.client, "share_referral") is None
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=personas.counsellor_a, case=case, organisation=organisations["hospital"]
        )


# --- The signed form ------------------------------------------------------------------------


def test_the_signed_scan_is_stored_as_her_document_and_linked(personas, branch_a, login):
    browser, _response = _intake(personas, branch_a, _with_consent(branch_a, share="given"))
    client = Client.objects.get()
    url = f"/counselling/clients/{client.pk}/consent/signed-form/"
    response = browser.post(url, {"signed-file": SimpleUploadedFile("signed.png", PNG)})
    assert response.status_code == 302
    document = Document.objects.get(client=client)
    assert document.kind == "image" and document.uploaded_by == personas.counsellor_a
    assert set(client.consents.values_list("signed_form", flat=True)) == {document.pk}
    page = browser.get(f"/counselling/clients/{client.pk}/").content.decode()
    assert f"/counselling/documents/{document.pk}/download/" in page
    # Everything in force has its form now.
    again = browser.post(
        url, {"signed-file": SimpleUploadedFile("b.png", PNG)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "already has its signed form" in again.content.decode()
    assert Document.objects.count() == 1


def test_a_scan_of_the_wrong_type_or_too_large_is_refused(personas, branch_a, settings):
    browser, _response = _intake(personas, branch_a, _with_consent(branch_a, share="given"))
    client = Client.objects.get()
    url = f"/counselling/clients/{client.pk}/consent/signed-form/"
    wrong = browser.post(
        url,
        {"signed-file": SimpleUploadedFile("signed.png", b"just some text, not an image")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 200
    assert "Only PDF, image and Office files can be uploaded" in wrong.content.decode()
    settings.DOCUMENT_MAX_BYTES = len(PNG) - 1
    large = browser.post(
        url, {"signed-file": SimpleUploadedFile("signed.png", PNG)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The file is larger than" in large.content.decode()
    assert not Document.objects.exists()
    assert not client.consents.filter(signed_form__isnull=False).exists()


def test_the_consent_form_and_scan_follow_her_record_rule(personas, branch_a, login):
    _browser, _response = _intake(personas, branch_a, _with_consent(branch_a, share="given"))
    client = Client.objects.get()
    pdf_url = f"/counselling/clients/{client.pk}/consent/form.pdf"
    scan_url = f"/counselling/clients/{client.pk}/consent/signed-form/"
    upload = {"signed-file": SimpleUploadedFile("s.png", PNG)}
    other_branch = login(personas.counsellor_b)
    assert other_branch.get(pdf_url).status_code == 404
    assert other_branch.post(scan_url, upload).status_code == 404
    assert login(personas.volunteer).get(pdf_url).status_code == 404
    assert login(personas.shelter_worker_a).post(scan_url, upload).status_code == 403
    assert login(personas.shelter_worker_a).get(pdf_url).status_code == 200
    assert login(personas.counsellor_a).get(pdf_url, {"language": "qq"}).status_code == 400
    assert not Document.objects.exists()
