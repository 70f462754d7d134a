"""Her documents by category, with the expiry date of the papers that run out
(passport, alien registration card, court order): shown in the lists, refused
in the past unless she brought an expired paper, reminded before the date."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from counselling import services
from counselling.models import Consent, Document, DocumentCategory
from ngo.reminders import services as reminders
from ngo.reminders.models import DatedItem, Reminder
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A fixed day in Seoul, so that lead times fall on known dates.
MORNING = datetime.fromisoformat("2027-03-01T09:00:00+09:00")


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def upload(actor, case, **values) -> Document:
    return services.document_upload(
        actor=actor,
        client=case.client,
        case=case,
        uploaded_file=SimpleUploadedFile("paper.pdf", PDF),
        title="Her paper",
        **values,
    )


def _browser(user):
    browser = verified_client(user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


def test_an_expiry_in_the_past_is_refused_unless_already_expired(make_case, personas):
    case = make_case()
    yesterday = timezone.localdate() - timedelta(days=1)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        upload(personas.counsellor_a, case, category="passport", expires_on=yesterday)
    assert "already expired" in str(caught.value.message_dict["expires_on"])
    assert not Document.objects.exists()
    kept = upload(
        personas.counsellor_a, case, category="passport", expires_on=yesterday, already_expired=True
    )
    assert kept.category == DocumentCategory.PASSPORT and kept.is_expired


def test_the_upload_form_takes_category_and_expiry_and_the_list_shows_them(make_case, personas):
    case = make_case()
    browser = _browser(personas.counsellor_a)
    url = f"/counselling/cases/{case.pk}/documents/"
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    refused = browser.post(
        url,
        {
            "document-file": SimpleUploadedFile("arc.pdf", PDF),
            "document-category": "alien_registration",
            "document-expires_on": past,
        },
    )
    assert refused.status_code == 200
    assert "This expiry date is in the past" in refused.content.decode()
    assert not Document.objects.exists()
    stored = browser.post(
        url,
        {
            "document-file": SimpleUploadedFile("arc.pdf", PDF),
            "document-category": "alien_registration",
            "document-expires_on": past,
            "document-already_expired": "on",
        },
    )
    assert stored.status_code == 302
    future = (timezone.localdate() + timedelta(days=90)).isoformat()
    browser.post(
        f"/counselling/clients/{case.client_id}/documents/",
        {
            "document-file": SimpleUploadedFile("passport.pdf", PDF),
            "document-category": "passport",
            "document-expires_on": future,
        },
    )
    assert Document.objects.count() == 2
    page = browser.get(f"/counselling/clients/{case.client_id}/").content.decode()
    assert "Alien registration card" in page and "Passport" in page
    assert f"expired on {past}" in page and "document-expired" in page
    assert f"expires on {future}" in page
    bad = browser.post(
        url, {"document-file": SimpleUploadedFile("x.pdf", PDF), "document-category": "diary"}
    )
    assert bad.status_code == 200 and Document.objects.count() == 2


def test_the_api_takes_and_shows_category_and_expiry(make_case, personas):
    case = make_case()
    api = verified_client(personas.counsellor_a)
    future = (timezone.localdate() + timedelta(days=30)).isoformat()
    created = api.post(
        "/api/v1/documents/",
        {
            "case": case.pk,
            "file": SimpleUploadedFile("order.pdf", PDF),
            "category": "court_order",
            "expires_on": future,
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["category"] == "court_order"
    assert created.json()["expires_on"] == future
    past = api.post(
        "/api/v1/documents/",
        {
            "case": case.pk,
            "file": SimpleUploadedFile("order.pdf", PDF),
            "expires_on": "2000-01-01",
        },
    )
    assert past.status_code == 400 and "expires_on" in str(past.json())
    listed = api.get(f"/api/v1/documents/?case={case.pk}").json()
    assert [d["category"] for d in listed["results"]] == ["court_order"]


def test_a_signed_consent_form_is_stored_as_a_consent_form(make_case, personas):
    case = make_case()
    services.consents_record(
        actor=personas.counsellor_a,
        client=case.client,
        decisions=[{"purpose": "store_data", "given": True}],
        explanation_language="vi",
    )
    document, _consents = services.consent_attach_signed_form(
        actor=personas.counsellor_a,
        client=case.client,
        uploaded_file=SimpleUploadedFile("signed.pdf", PDF),
    )
    assert document.category == DocumentCategory.CONSENT_FORM
    assert Consent.objects.filter(signed_form=document).exists()


def test_an_expiring_document_reminds_the_assigned_staff_once_per_lead_time(make_case, personas):
    with time_machine.travel(MORNING, tick=False):
        case = make_case()
        document = upload(
            personas.counsellor_a, case, category="passport", expires_on=date(2027, 4, 30)
        )
        reminders.refresh("counselling.document_expiry")
        reminders.refresh("counselling.document_expiry")  # idempotent
        item = DatedItem.objects.get(source="counselling.document_expiry")
        assert item.object_id == document.pk and item.reference == case.client.case_code
        assert item.kind == str(DocumentCategory.PASSPORT.label)
        rows = Reminder.objects.filter(item=item).order_by("remind_at")
        assert [(r.days_before, r.recipient) for r in rows] == [
            (60, personas.counsellor_a),
            (30, personas.counsellor_a),
            (7, personas.counsellor_a),
            (1, personas.counsellor_a),
        ]
        # 60 days before 30 April is 1 March: due this morning, and sent once.
        assert reminders.fire_due_reminders() == 1
        assert reminders.fire_due_reminders() == 0
    assert Reminder.objects.filter(item=item, status="sent").count() == 1


def test_an_expired_document_and_one_without_a_date_are_not_reminded(make_case, personas):
    with time_machine.travel(MORNING, tick=False):
        case = make_case()
        upload(personas.counsellor_a, case, category="police_report")
        upload(
            personas.counsellor_a,
            case,
            category="passport",
            expires_on=date(2027, 2, 1),
            already_expired=True,
        )
        reminders.refresh()
        pending = Reminder.objects.filter(item__source="counselling.document_expiry")
        assert not pending.filter(status="pending").exists()
