"""Incidents in the API: create, list with filters (constant query count),
retrieve with its ETag, PATCH with If-Match, DELETE with a reason; another
branch's or a restricted case's incident answers 404."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counselling.incidents.models import Incident
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import verified_client
from tests.incidents_helpers import record

LIST = "/api/v1/incidents/"


@pytest.fixture(autouse=True)
def _still_clock():
    with time_machine.travel(timezone.now(), tick=False):
        yield


def api(user):
    browser = verified_client(user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


def detail(incident) -> str:
    return f"{LIST}{incident.pk}/"


def _body(case, **values):
    return {
        "case": case.pk,
        "violence_type": "rape",
        "occurred_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "place": "perpetrator_home",
        "perpetrator": "co_worker",
        **values,
    }


def test_create_retrieve_update_delete(personas, make_case):
    case = make_case()
    browser = api(personas.counsellor_a)
    created = browser.post(
        LIST,
        _body(case, description="In his room.", broker_involved="no"),
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["violence_type"] == "rape" and data["broker_involved"] == "no"
    assert data["reported_to_police"] == "unknown" and data["perpetrator_count"] is None
    assert data["description"] == "In his room."
    assert created["ETag"] == '"1"'
    url = f"{LIST}{data['id']}/"
    read = browser.get(url)
    assert read.status_code == 200 and read["ETag"] == '"1"'
    assert (
        browser.patch(url, {"place": "online"}, content_type="application/json").status_code == 428
    )
    changed = browser.patch(
        url, {"place": "online"}, content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200 and changed.json()["place"] == "online"
    assert changed["ETag"] == '"2"'
    stale = browser.patch(
        url, {"place": "workplace"}, content_type="application/json", headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    assert Incident.objects.get(pk=data["id"]).place == "online"
    assert browser.delete(url).status_code == 400
    assert browser.delete(f"{url}?reason=duplicate", headers={"If-Match": '"1"'}).status_code == 412
    assert browser.delete(f"{url}?reason=duplicate", headers={"If-Match": '"2"'}).status_code == 204
    assert not Incident.objects.filter(pk=data["id"]).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="incidents.incident", reason="duplicate"
    ).exists()


def test_bad_input_is_a_400_naming_the_field(personas, make_case):
    case = make_case()
    browser = api(personas.counsellor_a)
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    refused = browser.post(LIST, _body(case, occurred_on=future), content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["occurred_on"] == [
        "The date of the incident cannot be in the future."
    ]
    unknown = browser.post(
        LIST, _body(case, violence_type="stalking"), content_type="application/json"
    )
    assert unknown.status_code == 400
    assert "six GBVIMS types" in unknown.json()["error"]["fields"]["violence_type"][0]
    too_many = browser.post(LIST, _body(case, perpetrator_count=0), content_type="application/json")
    assert "perpetrator_count" in too_many.json()["error"]["fields"]
    assert browser.get(f"{LIST}?violence_type=stalking").status_code == 400
    assert browser.get(f"{LIST}?occurred_from=yesterday").status_code == 400
    assert not Incident.objects.exists()


def test_filters(personas, make_case):
    case, other = make_case(), make_case()
    today = timezone.localdate()
    rape = record(case, violence_type="rape", occurred_on=today - timedelta(days=40))
    broker = record(other, perpetrator="broker", broker_involved="yes", occurred_on=today)
    browser = api(personas.counsellor_a)

    def ids(query):
        response = browser.get(f"{LIST}?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids("") == {rape.pk, broker.pk}
    assert ids(f"case={case.pk}") == {rape.pk}
    assert ids("violence_type=rape") == {rape.pk}
    assert ids("perpetrator=broker") == {broker.pk}
    assert ids("broker_involved=yes") == {broker.pk}
    assert ids(f"occurred_from={(today - timedelta(days=1)).isoformat()}") == {broker.pk}
    assert ids(f"occurred_until={(today - timedelta(days=1)).isoformat()}") == {rape.pk}


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor_a", 200),
        ("manager_a", 200),
        ("admin", 200),
        ("counsellor_b", 404),
        ("coordinator", 404),
        ("policy_officer", 404),
        ("volunteer", 404),
    ],
)
def test_who_reads_an_incident(personas, make_case, persona, status):
    incident = record(make_case())
    browser = api(getattr(personas, persona))
    assert browser.get(detail(incident)).status_code == status
    listed = browser.get(LIST)
    if listed.status_code == 200:
        assert bool(listed.json()["results"]) is (status == 200)
    else:
        assert listed.status_code == 403


def test_another_branch_cannot_write_and_learns_nothing(personas, make_case):
    case = make_case()
    incident = record(case)
    browser = api(personas.counsellor_b)
    assert browser.post(LIST, _body(case), content_type="application/json").status_code == 404
    assert (
        browser.patch(
            detail(incident),
            {"place": "online"},
            content_type="application/json",
            headers={"If-Match": '"1"'},
        ).status_code
        == 404
    )
    assert browser.delete(f"{detail(incident)}?reason=duplicate").status_code == 404
    shelter = api(personas.shelter_worker_a)
    assert shelter.get(detail(incident)).status_code == 200
    assert shelter.delete(f"{detail(incident)}?reason=duplicate").status_code == 403
    assert Incident.objects.filter(pk=incident.pk, place="her_home").exists()


def test_a_restricted_case_answers_404_to_the_unassigned(personas, make_case):
    from tests.factories import UserFactory

    colleague = UserFactory(role="counsellor", branches=[personas.counsellor_a.branches.first()])
    incident = record(make_case(restricted=True))
    assert api(colleague).get(detail(incident)).status_code == 404
    assert api(colleague).get(LIST).json()["results"] == []
    assert api(personas.counsellor_a).get(detail(incident)).status_code == 200


def test_the_list_costs_the_same_queries_for_many_incidents(personas, make_case):
    browser = api(personas.counsellor_a)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = browser.get(LIST)
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    record(make_case())
    browser.get(LIST)  # the session and the user, once
    few, one = queries()
    for _n in range(4):
        case = make_case()
        record(case)
        record(case, violence_type="psychological")
    many, nine = queries()
    assert (one, nine) == (1, 9)
    assert many == few
