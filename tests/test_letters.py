"""DV confirmation letters: preparing, the second person's approval, numbers,
revocation, reprints, the public verification and its limits, destroyed
records, subject access and who may do what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from counselling.letters import services
from counselling.letters.models import Letter, LetterStatus
from ngo.audit.models import AuditEvent
from tests.letters_helpers import BIRTH_DATE, dv_case


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _services_speak_english(_default_language):
    # The services' messages, read in English (the screens answer in Korean).
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def prepared(make_case, personas):
    case = dv_case(make_case, personas, languages=["ko"])
    return services.letter_prepare(actor=personas.counsellor_a, case=case)


@pytest.fixture
def issued(prepared, personas):
    return services.letter_approve(actor=personas.manager_a, letter=prepared)


def _verify(client, number, birth_date, ip="203.0.113.7"):
    return client.post(
        reverse("letters:verify"),
        {"number": number, "birth_date": birth_date},
        REMOTE_ADDR=ip,
    )


# --- Preparing ------------------------------------------------------------------------


def test_a_case_without_domestic_violence_gets_no_letter(make_case, personas):
    case = make_case(case_types=["labour"], birth_date=BIRTH_DATE)
    with pytest.raises(ValidationError, match="not one"):
        services.letter_prepare(actor=personas.counsellor_a, case=case)
    assert not Letter.objects.exists()


def test_a_case_without_sessions_gets_no_letter(make_case, personas):
    case = make_case(birth_date=BIRTH_DATE)
    with pytest.raises(ValidationError, match="at least one session"):
        services.letter_prepare(actor=personas.counsellor_a, case=case)


def test_the_screen_says_why_no_letter_and_saves_nothing(make_case, personas, login):
    case = make_case(case_types=["labour"], birth_date=BIRTH_DATE)
    response = login(personas.counsellor_a).post(
        reverse("letters:letter_prepare", args=[case.pk]), {"language": ""}, follow=True
    )
    assert "not one" in response.content.decode() or "아닙니다" in response.content.decode()
    assert not Letter.objects.exists()


def test_the_case_page_shows_the_letters_panel(prepared, personas, login):
    page = login(personas.manager_a).get(
        reverse("counselling:case_detail", args=[prepared.case_id])
    )
    body = page.content.decode()
    assert 'id="letters"' in body
    assert reverse("letters:letter_approve", args=[prepared.pk]) in body
    # The preparer sees no approve button on her own letter.
    body = (
        login(personas.counsellor_a)
        .get(reverse("counselling:case_detail", args=[prepared.case_id]))
        .content.decode()
    )
    assert reverse("letters:letter_approve", args=[prepared.pk]) not in body


# --- Approval by a second person --------------------------------------------------------


def test_the_preparer_cannot_approve_her_own_letter(make_case, personas):
    case = dv_case(make_case, personas, languages=["ko"], actor=personas.manager_a)
    letter = services.letter_prepare(actor=personas.manager_a, case=case)
    with pytest.raises(ValidationError, match="another person"):
        services.letter_approve(actor=personas.manager_a, letter=letter)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.PREPARED and letter.number is None


def test_a_counsellor_cannot_approve(prepared, personas, login):
    response = login(personas.counsellor_b).post(
        reverse("letters:letter_approve", args=[prepared.pk])
    )
    assert response.status_code == 404  # another branch's letter: not even its existence
    response = login(personas.shelter_worker_a).post(
        reverse("letters:letter_approve", args=[prepared.pk])
    )
    assert response.status_code == 403
    # Her own branch's counsellor (here the one who prepared it) may not sign.
    response = login(personas.counsellor_a).post(
        reverse("letters:letter_approve", args=[prepared.pk])
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.letter_approve(actor=personas.counsellor_a, letter=prepared)
    prepared.refresh_from_db()
    assert prepared.status == LetterStatus.PREPARED


def test_approval_numbers_snapshots_stores_and_audits(issued, personas):
    assert issued.status == LetterStatus.ISSUED
    assert issued.number == f"SEO-L-{issued.issued_on.year}-0001"
    assert issued.approved_by == personas.manager_a
    assert issued.contents["birth_date"] == "1990-04-25"
    assert issued.contents["sessions"] == 2
    assert issued.contents["services"] == ["counselling", "legal_advice"]
    assert issued.read_file().startswith(b"%PDF")
    # The file on disk is encrypted.
    assert not issued.file_path().read_bytes().startswith(b"%PDF")
    assert "1990" not in issued.verification_digest
    reasons = set(
        AuditEvent.objects.filter(
            object_type="letters.letter", object_id=str(issued.pk)
        ).values_list("action", "reason")
    )
    assert ("create", "") in reasons and ("update", "approved") in reasons


def test_what_was_printed_stays_printed(issued):
    client = issued.client
    client.name_romanised = "SOMEONE ELSE"
    client.save()
    issued.refresh_from_db()
    assert issued.contents["name_romanised"] == "NGUYEN THI LAN"


def test_numbers_are_per_branch_and_year_and_unique(make_case, personas, branch_b):
    from counselling.letters.models import LetterNumberCounter

    case = dv_case(make_case, personas, languages=["ko"])
    first = services.letter_prepare(actor=personas.counsellor_a, case=case)
    with pytest.raises(ValidationError, match="awaiting"):
        services.letter_prepare(actor=personas.counsellor_a, case=case)
    year = timezone.localdate().year
    # Also next year's: the approval may fall just after midnight on New Year's Eve.
    for counted in (year, year + 1):
        LetterNumberCounter.objects.create(branch=first.branch, year=counted, last_number=11)
        LetterNumberCounter.objects.create(branch=branch_b, year=counted, last_number=40)
    LetterNumberCounter.objects.create(branch=first.branch, year=year - 1, last_number=90)
    first = services.letter_approve(actor=personas.manager_a, letter=first)
    assert first.number == f"SEO-L-{first.issued_on.year}-0012"
    # The database refuses a second letter with the same number.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Letter.objects.create(
            case=case,
            client=case.client,
            branch=case.branch,
            prepared_by=personas.counsellor_a,
            status="revoked",
            number=first.number,
        )


# --- Revocation and reprints ------------------------------------------------------------


def test_revocation_needs_a_reason_and_happens_once(issued, personas, login):
    url = reverse("letters:letter_revoke", args=[issued.pk])
    browser = login(personas.manager_a)
    browser.post(url, {"reason": ""})
    issued.refresh_from_db()
    assert issued.status == LetterStatus.ISSUED
    browser.post(url, {"reason": "Issued on the wrong case."})
    issued.refresh_from_db()
    assert issued.status == LetterStatus.REVOKED
    assert issued.revocation_reason == "Issued on the wrong case."
    with pytest.raises(ValidationError, match="already been revoked|이미 취소"):
        services.letter_revoke(actor=personas.manager_a, letter=issued, reason="again")
    assert AuditEvent.objects.filter(object_id=str(issued.pk), reason="revoked").count() == 1


def test_a_download_is_audited_and_other_branches_get_404(issued, personas, login):
    url = reverse("letters:letter_pdf", args=[issued.pk])
    response = login(personas.counsellor_a).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(object_id=str(issued.pk), reason="reprint").count() == 1
    assert login(personas.counsellor_b).get(url).status_code == 404
    assert login(personas.volunteer).get(url).status_code == 404


# --- Verification -------------------------------------------------------------------------


def test_a_genuine_letter_verifies_without_naming_her(issued, client):
    response = _verify(client, issued.number.lower(), "1990-04-25")
    body = response.content.decode()
    assert response.status_code == 200
    assert issued.number in body and issued.issued_on.isoformat() in body
    assert "Seoul branch" in body or "서울지부" in body
    assert "NGUYEN" not in body and "Nguyễn" not in body


def test_a_wrong_birth_date_answers_as_an_unknown_number(issued, client):
    wrong = _verify(client, issued.number, "1990-04-26")
    unknown = _verify(client, "SEO-L-1999-9999", "1990-04-26")
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda response: response.content.decode().replace("SEO-L-1999-9999", issued.number)  # noqa: E731
    assert _without_tokens(strip(wrong)) == _without_tokens(strip(unknown))
    assert "1990-04-25" not in wrong.content.decode()
    reasons = AuditEvent.objects.filter(reason__startswith="verify").values_list("reason", "ip")
    assert sorted(reasons) == [("verify_no_match", "203.0.113.7")] * 2


def _without_tokens(body: str) -> str:
    import re

    # The CSRF token differs per response (a masked secret of 64 characters).
    return re.sub(r"[A-Za-z0-9]{64}", "", body)


def test_a_birth_date_in_the_wrong_format_is_a_form_error(issued, client):
    response = _verify(client, issued.number, "25/04/1990")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.content.decode()
    assert 'id="verification-result"' not in response.content.decode()


def test_a_revoked_letter_verifies_as_revoked(issued, personas, client):
    services.letter_revoke(actor=personas.manager_a, letter=issued, reason="Wrong case.")
    body = _verify(client, issued.number, "1990-04-25").content.decode()
    assert "revoked" in body.lower() or "취소" in body
    assert "Wrong case" not in body


def test_a_destroyed_letter_still_verifies_as_no_longer_held(issued, client):
    her = issued.client
    path = issued.file_path()
    assert services.scrub_letters_for_client(her) == 1
    issued.refresh_from_db()
    assert not path.exists()
    assert issued.case is None and issued.client is None and issued.contents == {}
    assert issued.number and issued.verification_digest and not issued.records_held
    body = _verify(client, issued.number, "1990-04-25").content.decode()
    assert issued.issued_on.isoformat() in body
    assert "no longer holds" in body or "보유하지" in body


def test_subject_access_gives_what_each_letter_printed_and_its_pdf(issued):
    (entry,) = services.letters_for_subject_access(issued.client)
    assert entry["number"] == issued.number
    assert entry["contents"]["name_romanised"] == "NGUYEN THI LAN"
    assert entry["pdf"].startswith(b"%PDF")


def test_verification_is_limited_per_number(issued, client, settings):
    settings.LETTER_VERIFY_NUMBER_LIMIT = 3
    for attempt in range(3):
        ip = f"198.51.100.{attempt + 1}"
        assert _verify(client, issued.number, "2000-01-01", ip=ip).status_code == 200
    limited = _verify(client, issued.number, "1990-04-25", ip="198.51.100.9")
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode() or "시도" in limited.content.decode()
    assert 'id="verification-result"' not in limited.content.decode()
    assert AuditEvent.objects.filter(reason="verify_limited").count() == 1


def test_verification_is_limited_per_address(client, settings, db):
    settings.LETTER_VERIFY_IP_LIMIT = 2
    for number in ("SEO-L-2026-0001", "SEO-L-2026-0002"):
        assert _verify(client, number, "2000-01-01").status_code == 200
    assert _verify(client, "SEO-L-2026-0003", "2000-01-01").status_code == 429
    assert _verify(client, "SEO-L-2026-0003", "2000-01-01", ip="192.0.2.1").status_code == 200


# --- The API ------------------------------------------------------------------------------


def test_the_api_prepares_approves_revokes_and_downloads(make_case, personas, login):
    case = dv_case(make_case, personas, languages=["vi"])
    counsellor, manager = login(personas.counsellor_a), login(personas.manager_a)
    created = counsellor.post(
        reverse("api:letter-list"), {"case": case.pk}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["language"] == "vi"
    pk = created.json()["id"]
    own = counsellor.post(reverse("api:letter-approve", args=[pk]))
    assert own.status_code == 403
    approved = manager.post(reverse("api:letter-approve", args=[pk]))
    assert approved.status_code == 200 and approved.json()["status"] == "issued"
    assert approved["ETag"]
    again = manager.post(reverse("api:letter-approve", args=[pk]))
    assert again.status_code == 400
    no_reason = manager.post(
        reverse("api:letter-revoke", args=[pk]), {}, content_type="application/json"
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    pdf = counsellor.get(reverse("api:letter-pdf", args=[pk]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    listed = login(personas.counsellor_b).get(reverse("api:letter-list"))
    assert listed.json()["count"] == 0
    assert (
        login(personas.counsellor_b).get(reverse("api:letter-detail", args=[pk])).status_code == 404
    )


def test_the_api_refuses_a_case_without_domestic_violence(make_case, personas, login):
    case = make_case(case_types=["labour"], birth_date=BIRTH_DATE)
    response = login(personas.counsellor_a).post(
        reverse("api:letter-list"), {"case": case.pk}, content_type="application/json"
    )
    assert response.status_code == 400 and "case" in response.json()["error"]["fields"]
