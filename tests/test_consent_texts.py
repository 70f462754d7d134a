"""The consent texts: every language and section after migrate, the edit that
makes a new version, the review mark only administrators set, the explanation
shown at intake, and the API's doors."""

import pytest
from django.core.exceptions import PermissionDenied

from counselling.consent_texts import services
from counselling.consent_texts.models import (
    GENERAL_SECTIONS,
    LANGUAGES,
    PURPOSE_SECTIONS,
    ConsentText,
    Section,
)
from counselling.models import ConsentPurpose
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
