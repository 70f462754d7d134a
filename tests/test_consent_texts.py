"""The consent texts: every language and section after migrate, the edit that
makes a new version, the review mark only administrators set, the explanation
shown at intake with her branch's contact, the retention wording brought to the
default of 10 years, and the API's doors."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied

from counselling.consent_texts import selectors, services
from counselling.consent_texts.models import (
    GENERAL_SECTIONS,
    LANGUAGES,
    PURPOSE_SECTIONS,
    ConsentText,
    Section,
)
from counselling.models import ConsentPurpose
from ngo.accounts.models import Branch
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import verified_client

API = "/api/v1/consent-texts/"


def _current(language="vi", section="share_referral") -> ConsentText:
    return ConsentText.objects.get(language=language, section=section, is_current=True)


@pytest.mark.django_db
def test_every_language_has_every_section_after_migrate():
    current = ConsentText.objects.filter(is_current=True)
    assert len(LANGUAGES) == 10
    assert {(t.language, t.section) for t in current} == {
        (language, section) for language in LANGUAGES for section in Section.values
    }
    assert current.count() == 10 * 7
    for text in current:
        assert text.version == 1 and text.heading.strip() and len(text.body) > 20
        assert not text.reviewed_by_native_speaker  # nobody has reviewed them yet
    # Each section is written in its own language, not copied from English.
    assert len({t.body for t in current.filter(section="rights")}) == 10


def test_the_purpose_sections_are_the_consent_purposes():
    assert set(PURPOSE_SECTIONS) == set(ConsentPurpose.values)
    assert set(PURPOSE_SECTIONS) | set(GENERAL_SECTIONS) == set(Section.values)


def test_only_an_administrator_marks_a_text_reviewed(personas, login):
    text = _current()
    url = f"/counselling/consent-texts/{text.pk}/review/"
    data = {"reviewer_name": "Nguyen Thi Lan", "version": text.version}
    assert login(personas.counsellor_a).post(url, data).status_code == 403
    assert login(personas.manager_a).post(url, data).status_code == 403
    assert login(personas.volunteer).post(url, data).status_code == 404
    text.refresh_from_db()
    assert not text.reviewed_by_native_speaker
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, object_id=str(text.pk)
    ).exists()

    assert login(personas.admin).post(url, data).status_code == 302
    text.refresh_from_db()
    assert text.reviewed_by_native_speaker and text.reviewer_name == "Nguyen Thi Lan"
    assert text.reviewed_by == personas.admin and text.reviewed_at is not None
    assert text.version == 1  # the wording did not change
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(text.pk), reason="native_review"
    ).exists()


def test_review_needs_the_reviewer_name(personas, login):
    text = _current()
    response = login(personas.admin).post(
        f"/counselling/consent-texts/{text.pk}/review/", {"reviewer_name": " ", "version": 1}
    )
    assert response.status_code == 400
    text.refresh_from_db()
    assert not text.reviewed_by_native_speaker


def test_an_edit_of_a_reviewed_text_makes_an_unreviewed_new_version(personas, login):
    text = services.consent_text_mark_reviewed(
        actor=personas.admin, text=_current(), reviewer_name="Nguyen Thi Lan"
    )
    browser = login(personas.admin)
    url = f"/counselling/consent-texts/{text.pk}/edit/"
    assert browser.get(url).status_code == 200
    new_body = text.body + " Bạn có thể hỏi lại bất cứ lúc nào."
    response = browser.post(url, {"heading": text.heading, "body": new_body, "version": "1"})
    assert response.status_code == 302
    new = _current()
    assert new.pk != text.pk and new.version == 2 and new.body == new_body
    assert not new.reviewed_by_native_speaker and new.created_by == personas.admin
    old = ConsentText.objects.get(pk=text.pk)
    assert not old.is_current and old.reviewed_by_native_speaker and old.body == text.body
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(new.pk), reason="review_cleared"
    ).exists()
    # The old version's form is stale now: nothing is saved from it.
    again = browser.post(url, {"heading": text.heading, "body": "Khác.", "version": "1"})
    assert again.status_code == 200
    assert "version 2" in again.content.decode() or "버전 2" in again.content.decode()
    assert ConsentText.objects.filter(language="vi", section="share_referral").count() == 2


def test_an_edit_by_someone_not_an_administrator_is_refused(personas, login):
    text = _current()
    url = f"/counselling/consent-texts/{text.pk}/edit/"
    data = {"heading": "x", "body": "y", "version": "1"}
    assert login(personas.counsellor_a).post(url, data).status_code == 403
    assert login(personas.counsellor_a).get(url).status_code == 403
    assert login(personas.coordinator).post(url, data).status_code == 404
    assert ConsentText.objects.filter(language="vi", section="share_referral").count() == 1
    # The service refuses on its own too.
    with pytest.raises(PermissionDenied):
        services.consent_text_edit(actor=personas.counsellor_a, text=text, heading="x", body="y")


def test_an_empty_text_is_refused_with_a_clear_message(personas, login):
    text = _current()
    response = login(personas.admin).post(
        f"/counselling/consent-texts/{text.pk}/edit/",
        {"heading": text.heading, "body": "   ", "version": "1"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert _current().version == 1


def test_the_list_screen_is_for_those_who_explain_consent(personas, login):
    assert login(personas.counsellor_a).get("/counselling/consent-texts/").status_code == 200
    page = login(personas.admin).get("/counselling/consent-texts/?language=km").content.decode()
    assert "ការរក្សាទុកព័ត៌មានរបស់អ្នក" in page and "Storing your information" not in page
    assert login(personas.volunteer).get("/counselling/consent-texts/").status_code == 404


def test_the_explanation_follows_the_language_she_chooses(personas, login):
    browser = login(personas.counsellor_a)
    url = "/counselling/consent-texts/explanation/"
    khmer = browser.get(url, {"consent_language": "km"}).content.decode()
    assert _current("km", "rights").body in khmer
    assert _current("ko", "rights").body in khmer  # Korean beside it
    assert "ការបកប្រែនេះមិនទាន់" in khmer  # unreviewed, said in Khmer too


def test_a_language_without_texts_falls_back_to_korean_and_english(personas, login):
    browser = login(personas.counsellor_a)
    page = browser.get(
        "/counselling/consent-texts/explanation/",
        {"consent_language": "ja"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "There is no consent text in this language (ja) yet" in page
    assert _current("en", "store_data").body in page
    assert _current("ko", "store_data").body in page
    bad = browser.get("/counselling/consent-texts/explanation/", {"consent_language": "xx"})
    assert bad.status_code == 400 and "xx" in bad.content.decode()


def test_the_explanation_gives_the_contact_of_the_branch_chosen(
    personas, branch_a, branch_b, login
):
    branch_a.address_ko = "서울특별시 종로구 대학로 12"
    branch_a.address_en = "12 Daehak-ro, Jongno-gu, Seoul"
    branch_a.phone = "02-3672-0000"
    branch_a.save()
    browser = login(personas.counsellor_a)
    url = "/counselling/consent-texts/explanation/"
    page = browser.get(url, {"consent_language": "vi", "branch": branch_a.pk}).content.decode()
    assert (
        "서울지부 · Seoul branch · 서울특별시 종로구 대학로 12 · "
        "12 Daehak-ro, Jongno-gu, Seoul · 02-3672-0000"
    ) in page
    korean = browser.get(url, {"consent_language": "ko", "branch": branch_a.pk}).content.decode()
    assert "서울지부 · Seoul branch · 서울특별시 종로구 대학로 12 · 02-3672-0000" in korean
    assert "Daehak-ro" not in korean
    # Not one of her branches, or not a branch at all: refused, in her language.
    for value in (str(branch_b.pk), "abc", "99999", "9" * 30, "²"):
        bad = browser.get(
            url, {"consent_language": "vi", "branch": value}, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert bad.status_code == 400, value
        assert "is not one of your branches" in bad.content.decode()
    korean_message = browser.get(
        url, {"consent_language": "vi", "branch": "abc"}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert "지부가 아닙니다" in korean_message.content.decode()


def test_a_branch_without_contact_gives_the_head_office(personas, branch_a, settings):
    settings.HEAD_OFFICE_ADDRESS = "서울특별시 중구 세종대로 110"
    settings.HEAD_OFFICE_PHONE = "02-123-4567"
    contact = selectors.centre_contact(branch=branch_a, language="vi")
    assert contact.line == "본부 · Head office · 서울특별시 중구 세종대로 110 · 02-123-4567"
    assert selectors.centre_contact().line == contact.line  # the branch not known yet
    # The head office's own contact, once it has one, before the settings.
    office = Branch.objects.get(is_head_office=True)
    office.phone = "02-765-4321"
    office.save()
    assert selectors.centre_contact(branch=branch_a, language="vi").line == (
        "본부 · Head office · 02-765-4321"
    )
    branch_a.phone = "02-3672-0000"
    branch_a.save()
    assert (
        selectors.centre_contact(branch=branch_a).line == "서울지부 · Seoul branch · 02-3672-0000"
    )


# --- Retention wording --------------------------------------------------------------------

RETENTION_UPDATE = importlib.import_module(
    "counselling.consent_texts.migrations.0003_retention_ten_years"
)


@pytest.mark.django_db
def test_the_retention_text_states_the_default_of_ten_years():
    shipped = selectors.seed_texts()
    for language in LANGUAGES:
        body = _current(language, "retention").body
        assert body == shipped[language]["retention"]["body"]
        assert body == RETENTION_UPDATE.RETENTION[language][1]
        five, ten = ("៥", "១០") if language == "km" else ("5", "10")
        before, after = RETENTION_UPDATE.RETENTION[language]
        assert ten in body and five not in body, language
        assert before.count(five) == 1 and after == before.replace(five, ten), language


def test_the_retention_update_leaves_edited_and_reviewed_texts_alone(personas):
    old = {language: wording[0] for language, wording in RETENTION_UPDATE.RETENTION.items()}
    # An installation from before: the shipped 5-year wording, then an
    # administrator's edit of the English and a native review of the Russian.
    for language in LANGUAGES:
        ConsentText.objects.filter(language=language, section="retention").update(
            body=old[language]
        )
    edited = services.consent_text_edit(
        actor=personas.admin,
        text=_current("en", "retention"),
        heading="How long we keep your records",
        body="Our own wording: 7 years.",
    )
    reviewed = services.consent_text_mark_reviewed(
        actor=personas.admin, text=_current("ru", "retention"), reviewer_name="Irina"
    )
    first_vietnamese = _current("vi", "retention")

    RETENTION_UPDATE.update_retention(django_apps, None)
    RETENTION_UPDATE.update_retention(django_apps, None)  # safe to run twice

    vietnamese = _current("vi", "retention")
    assert vietnamese.version == 2 and vietnamese.body == RETENTION_UPDATE.RETENTION["vi"][1]
    assert vietnamese.created_by is None and not vietnamese.reviewed_by_native_speaker
    first_vietnamese.refresh_from_db()  # what the consents recorded with it point at
    assert first_vietnamese.body == old["vi"] and not first_vietnamese.is_current
    assert _current("en", "retention") == edited and edited.body == "Our own wording: 7 years."
    assert _current("ru", "retention").version == 1
    assert _current("ru", "retention").body == old["ru"] == reviewed.body
    assert _current("km", "retention").body == RETENTION_UPDATE.RETENTION["km"][1]
    assert ConsentText.objects.filter(section="retention").count() == 10 + 1 + 8


# --- API ----------------------------------------------------------------------------------


def test_api_lists_the_current_texts_and_their_versions(personas):
    api = verified_client(personas.counsellor_a)
    body = api.get(API, {"language": "th", "page_size": 50}).json()
    assert body["count"] == 7
    assert {row["section"] for row in body["results"]} == set(Section.values)
    assert api.get(API, {"language": "zz"}).status_code == 400
    assert verified_client(personas.volunteer).get(API).json()["count"] == 0


def test_api_edit_is_for_administrators_with_if_match(personas):
    text = _current("mn", "retention")
    url = f"{API}{text.pk}/"
    patch = {"body": text.body + " Асуух зүйл байвал хэлээрэй."}
    counsellor = verified_client(personas.counsellor_a)
    assert counsellor.get(url)["ETag"] == '"1"'
    denied = counsellor.patch(url, patch, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert denied.status_code == 403
    assert verified_client(personas.volunteer).get(url).status_code == 404

    admin = verified_client(personas.admin)
    assert admin.patch(url, patch, content_type="application/json").status_code == 428
    response = admin.patch(url, patch, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    new = response.json()
    assert new["id"] != text.pk and new["version"] == 2 and response["ETag"] == '"2"'
    assert new["is_current"] and not new["reviewed_by_native_speaker"]
    stale = admin.patch(url, patch, content_type="application/json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412


def test_api_review_mark(personas):
    text = _current("uz", "rights")
    url = f"{API}{text.pk}/review/"
    body = {"reviewer_name": "Dilnoza Karimova", "version": 1}
    counsellor = verified_client(personas.counsellor_a)
    assert counsellor.post(url, body, content_type="application/json").status_code == 403
    admin = verified_client(personas.admin)
    assert admin.post(url, {}, content_type="application/json").status_code == 400
    wrong = admin.post(url, {**body, "version": 3}, content_type="application/json")
    assert wrong.status_code == 412
    done = admin.post(url, body, content_type="application/json")
    assert done.status_code == 200 and done.json()["reviewed_by_native_speaker"] is True
    assert done.json()["reviewer_name"] == "Dilnoza Karimova"
