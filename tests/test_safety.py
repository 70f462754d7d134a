"""Her safe-contact rules: the banner on every screen where someone may contact
her, the safe hours in Seoul time, the audited code word, and who may see them."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from counselling.safety import selectors, services
from counselling.safety.models import SafetyRecord
from ngo.audit.models import AuditAction, AuditEvent
from ngo.reminders import services as reminders
from ngo.reminders.models import DatedItem
from tests.conftest import verified_client
from tests.safety_helpers import CODE_WORD, NOTES, SECRET_PERSON, case_with_rules, full_rules

pytestmark = pytest.mark.django_db

BANNER = 'id="safety-banner"'
OUTSIDE = "Now is outside her safe hours: do not call"
# A Wednesday in Seoul: 12:00 is inside her hours (10-16, Monday to Friday), 20:00 not.
WEDNESDAY_NOON = datetime.fromisoformat("2027-03-03T12:00:00+09:00")
WEDNESDAY_EVENING = datetime.fromisoformat("2027-03-03T20:00:00+09:00")
SATURDAY_NOON = datetime.fromisoformat("2027-03-06T12:00:00+09:00")


def _browser(user):
    browser = verified_client(user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _assert_banner(html: str) -> None:
    assert BANNER in html
    assert "Never contact by:" in html and "Phone call" in html
    assert "Immediate danger" in html and "Child protection concern" in html
    assert CODE_WORD not in html


@pytest.fixture
def case(make_case, personas, organisations):
    return case_with_rules(make_case, personas, organisation=organisations["hospital"])


def test_the_banner_is_on_the_case_page_and_the_client_page(case, personas):
    browser = _browser(personas.counsellor_a)
    case_page = _html(browser.get(f"/counselling/cases/{case.pk}/"))
    _assert_banner(case_page)
    assert "Warning: the perpetrator works at Seoul Medical Centre" in case_page
    client_page = _html(browser.get(f"/counselling/clients/{case.client_id}/"))
    _assert_banner(client_page)
    assert NOTES in client_page and SECRET_PERSON in client_page


@pytest.mark.parametrize(
    "form", ["sessions", "referrals", "events"], ids=["session", "referral", "key-date"]
)
def test_the_banner_is_on_the_session_referral_and_key_date_forms(case, personas, form):
    """A form sent back with its errors shows the banner again above it."""
    response = _browser(personas.counsellor_a).post(f"/counselling/cases/{case.pk}/{form}/", {})
    html = _html(response)
    assert "Nothing was saved" in html
    _assert_banner(html)


def test_the_reminders_inbox_marks_her_reminders_and_opens_on_the_banner(
    make_case, personas, organisations
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    case_with_rules(make_case, personas, organisations["hospital"], visa_expiry=tomorrow)
    reminders.refresh()
    assert reminders.fire_due_reminders() == 1
    browser = _browser(personas.counsellor_a)
    inbox = _html(browser.get("/notifications/"))
    assert "reminder-safety" in inbox and "Immediate danger" in inbox
    assert "Never call her" in inbox
    assert CODE_WORD not in inbox and SECRET_PERSON not in inbox
    item = DatedItem.objects.get(source="counselling.visa_expiry")
    opened = browser.get(f"/notifications/item/{item.pk}/", follow=True)
    _assert_banner(_html(opened))


def test_a_reminder_of_a_woman_without_rules_has_no_safety_line(make_case, personas):
    make_case(visa_expiry=timezone.localdate() + timedelta(days=1))
    reminders.refresh()
    reminders.fire_due_reminders()
    inbox = _html(_browser(personas.counsellor_a).get("/notifications/"))
    assert "Visa expiry" in inbox and "reminder-safety" not in inbox


@pytest.mark.parametrize(
    ("moment", "outside"),
    [(WEDNESDAY_NOON, False), (WEDNESDAY_EVENING, True), (SATURDAY_NOON, True)],
    ids=["wednesday-noon", "wednesday-evening", "saturday-noon"],
)
def test_outside_her_safe_hours_the_banner_says_do_not_call(case, personas, moment, outside):
    with time_machine.travel(moment, tick=False):
        html = _html(_browser(personas.counsellor_a).get(f"/counselling/cases/{case.pk}/"))
    assert (OUTSIDE in html) is outside
    assert "10:00–16:00" in html


def test_safe_hours_may_run_past_midnight(case, personas):
    record = SafetyRecord.objects.get(client=case.client)
    record.safe_from, record.safe_until, record.safe_days = (
        datetime.fromisoformat("2027-01-01T22:00").time(),
        datetime.fromisoformat("2027-01-01T06:00").time(),
        [],
    )
    assert record.is_safe_at(datetime.fromisoformat("2027-03-03T23:30:00+09:00"))
    assert record.is_safe_at(datetime.fromisoformat("2027-03-04T05:59:00+09:00"))
    assert not record.is_safe_at(datetime.fromisoformat("2027-03-04T06:00:00+09:00"))
    # 13:30 UTC is 22:30 in Seoul: the hours are hers, in Seoul time.
    assert record.is_safe_at(datetime.fromisoformat("2027-03-03T13:30:00+00:00"))


def test_the_banner_costs_one_query(case, personas, django_assert_num_queries):
    with translation.override("en"), django_assert_num_queries(1):
        banner = selectors.banner_for(user=personas.counsellor_a, client=case.client)
    assert banner.shows and banner.forbidden == ["Phone call", "Home visit"]


def test_equal_safe_hours_and_a_channel_both_allowed_and_forbidden_are_refused(make_case, personas):
    case = make_case()
    values = {**full_rules(), "safe_until": full_rules()["safe_from"]}
    values["forbidden_channels"] = ["phone_call", "sms"]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.safety_record_save(actor=personas.counsellor_a, client=case.client, values=values)
    assert "different times" in str(caught.value.message_dict["safe_until"])
    assert "both allowed and forbidden" in str(caught.value.message_dict["forbidden_channels"])
    assert not SafetyRecord.objects.exists()


def test_the_edit_screen_saves_and_shows_clear_errors(make_case, personas):
    case = make_case()
    browser = _browser(personas.counsellor_a)
    url = f"/counselling/clients/{case.client_id}/safety/"
    assert _html(browser.get(url))
    bad = browser.post(url, {"safe_from": "10:00", "safe_until": "10:00"})
    assert "must start and end at different times" in _html(bad)
    assert not SafetyRecord.objects.exists()
    good = browser.post(
        url,
        {
            "forbidden_channels": ["phone_call"],
            "safe_from": "10:00",
            "safe_until": "16:00",
            "code_word": "moon",
            "immediate_danger": "on",
        },
    )
    assert good.status_code == 302
    record = SafetyRecord.objects.get(client=case.client)
    assert record.code_word == "moon" and record.immediate_danger and record.version == 1
    # Saving again without typing a code word keeps it; the version goes up.
    again = browser.post(
        url, {"forbidden_channels": ["phone_call", "home_visit"], "version": record.version}
    )
    assert again.status_code == 302
    record.refresh_from_db()
    assert record.code_word == "moon" and record.version == 2
    stale = browser.post(url, {"forbidden_channels": ["letter"], "version": 1})
    assert "Someone else saved this record" in _html(stale)
    record.refresh_from_db()
    assert record.forbidden_channels == ["phone_call", "home_visit"]
    events = AuditEvent.objects.filter(object_type="safety.safetyrecord", object_id=record.pk)
    assert set(events.values_list("action", flat=True)) >= {AuditAction.CREATE, AuditAction.UPDATE}


def test_revealing_the_code_word_is_audited(case, personas):
    record = SafetyRecord.objects.get(client=case.client)
    browser = _browser(personas.counsellor_a)
    assert not AuditEvent.objects.filter(reason="code_word").exists()
    shown = _html(browser.post(f"/counselling/clients/{case.client_id}/safety/code-word/"))
    assert CODE_WORD in shown
    event = AuditEvent.objects.get(reason="code_word")
    assert event.actor == personas.counsellor_a and event.action == AuditAction.READ
    assert event.object_id == str(record.pk) and event.fields == ["code_word"]
    assert (
        browser.get(f"/counselling/clients/{case.client_id}/safety/code-word/").status_code == 405
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("counsellor_b", 404), ("coordinator", 404), ("volunteer", 404), ("auditor", 404)],
)
def test_others_do_not_see_her_rules(case, personas, persona, status):
    browser = _browser(getattr(personas, persona))
    client_id = case.client_id
    assert browser.get(f"/counselling/clients/{client_id}/safety/").status_code == status
    assert browser.post(f"/counselling/clients/{client_id}/safety/code-word/").status_code == status
    assert browser.get(f"/api/v1/clients/{client_id}/safety/").status_code in (403, 404)
    assert not AuditEvent.objects.filter(reason="code_word").exists()
    assert selectors.safety_of_client(user=getattr(personas, persona), client=case.client) is None


def test_a_shelter_worker_reads_the_banner_but_cannot_edit(case, personas):
    browser = _browser(personas.shelter_worker_a)
    _assert_banner(_html(browser.get(f"/counselling/clients/{case.client_id}/")))
    assert browser.get(f"/counselling/clients/{case.client_id}/safety/").status_code == 403
