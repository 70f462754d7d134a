"""Incidents of violence on a case: the service's rules and messages, who sees
them (the rule of their case), the case panel and its screens, the case
timeline, her copy and the destruction of her records."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from counselling.incidents import selectors, services
from counselling.incidents.models import Incident
from counselling.models import CaseActivity
from ngo import access
from ngo.access import Need
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import verified_client as signed_in
from tests.incidents_helpers import record


@pytest.fixture(autouse=True)
def _still_clock_in_english():
    """Dates are checked against today: hold the clock for the test. The
    messages are compared in English (a test below reads them in Korean)."""
    with time_machine.travel(timezone.now(), tick=False), translation.override("en"):
        yield


def verified_client(user):
    browser = signed_in(user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


# --- The service ------------------------------------------------------------------------


def test_recording_an_incident_is_audited_and_encrypts_the_description(make_case):
    case = make_case()
    incident = record(case, description="He hit her in the kitchen.", broker_involved="no")
    assert incident.version == 1
    assert incident.recorded_by == case.created_by
    event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="incidents.incident", object_id=str(incident.pk)
    )
    assert event.branch_id == case.branch_id
    assert "He hit" not in str(event.__dict__)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM incidents_incident WHERE id = %s", [incident.pk])
        stored = cursor.fetchone()[0]
    assert "kitchen" not in stored
    assert Incident.objects.get(pk=incident.pk).description == "He hit her in the kitchen."


def test_a_future_date_is_refused_with_a_clear_message(make_case):
    case = make_case()
    with pytest.raises(ValidationError) as refused:
        record(case, occurred_on=timezone.localdate() + timedelta(days=1))
    assert refused.value.message_dict["occurred_on"] == [
        "The date of the incident cannot be in the future."
    ]
    assert not Incident.objects.exists()
    assert record(case, occurred_on=timezone.localdate()).occurred_on == timezone.localdate()


def test_a_date_before_her_birth_is_refused(make_case):
    case = make_case(birth_date=date(1995, 6, 1))
    with pytest.raises(ValidationError) as refused:
        record(case, occurred_on=date(1995, 5, 31))
    assert "before her date of birth (1995-06-01)" in refused.value.message_dict["occurred_on"][0]
    assert record(case, occurred_on=date(1995, 6, 1)).pk


def test_an_unknown_type_names_the_six_types(make_case):
    case = make_case()
    with pytest.raises(ValidationError) as refused:
        record(case, violence_type="stalking")
    message = refused.value.message_dict["violence_type"][0]
    assert message.startswith("Choose one of the six GBVIMS types of violence")
    assert "rape" in message and "psychological" in message
    with pytest.raises(ValidationError) as refused:
        record(case, perpetrator="neighbour", place="moon")
    assert set(refused.value.message_dict) == {"perpetrator", "place"}


def test_the_database_refuses_unknown_codes_and_counts(make_case):
    case = make_case()
    incident = record(case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(violence_type="stalking")
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(perpetrator_count=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(broker_involved="maybe")


def test_an_update_raises_the_version_and_a_stale_one_is_refused(make_case):
    from ngo.lib.versions import StaleVersion

    case = make_case()
    incident = record(case)
    services.incident_update(
        actor=case.created_by, incident=incident, expected_version=1, perpetrator="in_law"
    )
    assert Incident.objects.get(pk=incident.pk).version == 2
    stale = Incident.objects.get(pk=incident.pk)
    with pytest.raises(StaleVersion):
        services.incident_update(
            actor=case.created_by, incident=stale, expected_version=1, place="workplace"
        )
    assert Incident.objects.get(pk=incident.pk).place == "her_home"
    with pytest.raises(ValidationError) as refused:
        services.incident_update(
            actor=case.created_by,
            incident=stale,
            occurred_on=timezone.localdate() + timedelta(days=3),
        )
    assert "future" in refused.value.message_dict["occurred_on"][0]


def test_deleting_needs_a_reason_and_is_audited_with_it(make_case):
    case = make_case()
    incident = record(case)
    with pytest.raises(ValidationError) as refused:
        services.incident_delete(actor=case.created_by, incident=incident, reason="")
    assert "Say why the incident is deleted" in refused.value.message_dict["reason"][0]
    services.incident_delete(actor=case.created_by, incident=incident, reason="duplicate")
    assert not Incident.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="incidents.incident")
    assert event.reason == "duplicate"
    assert event.branch_id == case.branch_id


# --- Who sees them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "reads", "writes"),
    [
        ("counsellor_a", True, True),
        ("manager_a", True, True),
        ("shelter_worker_a", True, False),
        ("admin", True, True),
        ("counsellor_b", False, False),
        ("coordinator", False, False),
        ("policy_officer", False, False),
        ("auditor", False, False),
        ("volunteer", False, False),
    ],
)
def test_an_incident_follows_the_rule_of_its_case(personas, make_case, persona, reads, writes):
    incident = record(make_case())
    user = getattr(personas, persona)
    assert (incident in selectors.incident_list(user=user)) is reads
    assert access.can(user, incident, Need.READ) is reads
    assert access.can(user, incident, Need.WRITE) is writes


def test_a_restricted_case_hides_its_incidents_from_the_unassigned(personas, make_case):
    from tests.factories import UserFactory

    other = UserFactory(
        email="other.a@example.org",
        role="counsellor",
        branches=[personas.counsellor_a.branches.first()],
    )
    incident = record(make_case(restricted=True))
    assert not selectors.incident_list(user=other).exists()
    assert selectors.incident_list(user=personas.counsellor_a).get() == incident
    assert selectors.incident_list(user=personas.manager_a).get() == incident
    response = verified_client(other).get(reverse("incidents:incident_edit", args=[incident.pk]))
    assert response.status_code == 404


# --- The case page and its screens ------------------------------------------------------


def test_the_case_panel_lists_incidents_in_words(personas, make_case):
    case = make_case()
    record(case, violence_type="forced_marriage", perpetrator="broker", broker_involved="yes")
    record(case, violence_type="psychological", perpetrator="in_law", date_approximate=True)
    page = verified_client(personas.counsellor_a).get(
        reverse("counselling:case_detail", args=[case.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="incidents"' in html
    assert "Forced marriage" in html and "Marriage broker" in html
    assert "Psychological or emotional abuse" in html and "In-law" in html
    assert "(approximate)" in html
    assert reverse("incidents:incident_add", args=[case.pk]) in html
    # The timeline says it in words, and leads to the panel.
    assert "Incident recorded" in html
    assert f'href="/counselling/cases/{case.pk}/#incidents"' in html
    shelter = verified_client(personas.shelter_worker_a).get(
        reverse("counselling:case_detail", args=[case.pk])
    )
    assert "Forced marriage" in shelter.content.decode()
    assert reverse("incidents:incident_add", args=[case.pk]) not in shelter.content.decode()


def test_the_timeline_line_is_written_with_a_readable_label(make_case):
    from counselling.views._common import _activity_label

    case = make_case()
    incident = record(case, violence_type="rape")
    line = CaseActivity.objects.get(case=case, kind="incident")
    assert line.object_id == str(incident.pk)
    assert line.get_kind_display() == "Incident recorded"
    assert _activity_label(line) == "Rape"


def test_adding_through_the_screen(personas, make_case):
    case = make_case()
    browser = verified_client(personas.counsellor_a)
    url = reverse("incidents:incident_add", args=[case.pk])
    assert browser.get(url).status_code == 200
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    values = {
        "violence_type": "sexual_assault",
        "occurred_on": tomorrow,
        "place": "workplace",
        "perpetrator": "employer",
        "broker_involved": "no",
        "reported_to_police": "unknown",
        "description": "At the factory dormitory.",
    }
    refused = browser.post(url, values)
    assert refused.status_code == 400
    assert "cannot be in the future" in refused.content.decode()
    saved = browser.post(url, {**values, "occurred_on": timezone.localdate().isoformat()})
    assert saved.status_code == 302
    assert saved["Location"].endswith("#incidents")
    incident = Incident.objects.get(case=case)
    assert incident.violence_type == "sexual_assault"
    assert incident.description == "At the factory dormitory."


def test_editing_and_deleting_through_the_screens(personas, make_case):
    case = make_case()
    incident = record(case)
    browser = verified_client(personas.counsellor_a)
    edit = reverse("incidents:incident_edit", args=[incident.pk])
    form = browser.get(edit)
    assert form.status_code == 200 and 'name="version" value="1"' in form.content.decode()
    values = {
        "version": 1,
        "violence_type": "physical_assault",
        "occurred_on": incident.occurred_on.isoformat(),
        "place": "public",
        "perpetrator": "former_husband",
        "broker_involved": "unknown",
        "reported_to_police": "yes",
        "perpetrator_count": 2,
    }
    assert browser.post(edit, values).status_code == 302
    incident.refresh_from_db()
    assert (incident.place, incident.perpetrator_count, incident.version) == ("public", 2, 2)
    stale = browser.post(edit, {**values, "place": "online"})
    assert stale.status_code == 400
    assert "Someone else saved this record" in stale.content.decode()
    delete = reverse("incidents:incident_delete", args=[incident.pk])
    no_reason = browser.post(delete, {"version": 2})
    assert no_reason.status_code == 400
    assert "Say why the incident is deleted." in no_reason.content.decode()
    assert browser.post(delete, {"version": 2, "reason": "wrong_case"}).status_code == 302
    assert not Incident.objects.filter(pk=incident.pk).exists()


def test_the_screens_of_another_branch_answer_404(personas, make_case):
    case = make_case()
    incident = record(case)
    browser = verified_client(personas.counsellor_b)
    for url in (
        reverse("incidents:incident_add", args=[case.pk]),
        reverse("incidents:incident_edit", args=[incident.pk]),
        reverse("incidents:incident_delete", args=[incident.pk]),
    ):
        assert browser.get(url).status_code == 404
        assert browser.post(url, {"reason": "duplicate"}).status_code == 404
    assert Incident.objects.filter(pk=incident.pk).exists()
    shelter = verified_client(personas.shelter_worker_a)
    assert shelter.get(reverse("incidents:incident_edit", args=[incident.pk])).status_code == 403


# --- Her copy and the destruction of her records --------------------------------------------


def test_her_copy_has_a_section_of_her_incidents(make_case):
    from counselling.rights.registry import sections

    case = make_case()
    record(case, violence_type="denial", description="Passport kept by the employer.")
    section = next(s for s in sections() if s.key == "incidents")
    rows, _files = section.gather(case.client)
    assert len(rows) == 1
    assert rows[0]["type of violence"] == "Denial of resources, opportunities or services"
    assert rows[0]["what happened"] == "Passport kept by the employer."


def test_the_scrubber_blanks_the_description_and_keeps_the_codes(make_case):
    case = make_case()
    incident = record(case, occurred_on=date(2024, 5, 17), description="Details about her.")
    counts = services.scrub_incidents_for_client(case.client)
    assert counts == {"incidents.Incident": 1}
    incident.refresh_from_db()
    assert incident.description is None
    assert incident.occurred_on == date(2024, 5, 1) and incident.date_approximate
    assert incident.violence_type == "physical_assault" and incident.perpetrator == "husband"


def test_the_messages_are_in_korean_too(personas, make_case):
    case = make_case()
    with translation.override("ko"), pytest.raises(ValidationError) as refused:
        record(case, occurred_on=timezone.localdate() + timedelta(days=1))
    assert refused.value.message_dict["occurred_on"] == ["사건 날짜는 미래일 수 없습니다."]
    page = signed_in(personas.counsellor_a).get(
        reverse("counselling:case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert "사건 기록" in page.content.decode()
