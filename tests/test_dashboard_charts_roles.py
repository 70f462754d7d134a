"""The charts of the home page beyond case work: shelters, campaigns, policy and
the audit trail; the small-cell rule for the auditor and the coordinator; and
no role getting another's chart."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services as cs
from counselling.shelters import services as ss
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from policy_monitor import services as ps

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2027, 3, 17, 10, 0, tzinfo=SEOUL)  # a Wednesday


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def at(clock, day: date, hour=10):
    clock.move_to(datetime(day.year, day.month, day.day, hour, 0, tzinfo=SEOUL))


def home(login, user):
    response = login(user).get(reverse("accounts:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def charts_of(response) -> dict:
    return {
        chart["key"]: chart
        for panel in response.context["panels"]
        for chart in panel.get("charts", [])
    }


def series(chart) -> dict:
    return {s["name"]: s["values"] for s in chart["data"]["series"]}


def shown(chart) -> list:
    return [values for _label, values in chart["rows"]]


# --- Shelter worker -------------------------------------------------------------------------


@pytest.fixture
def shelter_year(clock, personas, shelter, make_case):
    worker = personas.shelter_worker_a
    at(clock, date(2027, 1, 10))
    first = ss.stay_admit(actor=worker, case=make_case(), bed=shelter.test_beds["a"])
    at(clock, date(2027, 2, 5))
    ss.stay_discharge(actor=worker, stay=first, destination="independent")
    at(clock, date(2027, 3, 1))
    ss.stay_admit(actor=worker, case=make_case(), bed=shelter.test_beds["b"])
    at(clock, NOW.date())
    return shelter


def test_shelter_worker_sees_occupancy_against_beds_and_arrivals_and_leaves(
    shelter_year, personas, login
):
    found = charts_of(home(login, personas.shelter_worker_a))
    occupancy = series(found["chart-shelter-occupancy"])
    # January: 22 nights of 31; February: 4 of 28; March: 17 nights in the 17 days so far.
    assert occupancy["beds occupied (average)"] == [0] * 9 + [0.7, 0.1, 1.0]
    assert occupancy["beds in service"] == [4] * 12
    lines = [s["line"] for s in found["chart-shelter-occupancy"]["data"]["series"]]
    assert lines == [False, True]
    movements = series(found["chart-shelter-movements"])
    assert movements == {"arrivals": [0] * 9 + [1, 0, 1], "leaves": [0] * 10 + [1, 0]}
    # Her own branch's work, unsuppressed: a single arrival is drawn as 1.
    assert found["chart-shelter-movements"]["k"] is None
    assert not any(
        key.startswith(("chart-branch", "chart-campaign", "chart-audit")) for key in found
    )


def test_another_branch_sees_none_of_these_stays(shelter_year, branch_b, login):
    from ngo.accounts.roles import Role
    from tests.factories import UserFactory

    worker_b = UserFactory(
        email="shelter.b@example.org", role=Role.SHELTER_WORKER, branches=[branch_b]
    )
    found = charts_of(home(login, worker_b))
    assert series(found["chart-shelter-movements"]) == {"arrivals": [0] * 12, "leaves": [0] * 12}
    assert series(found["chart-shelter-occupancy"])["beds in service"] == [0] * 12


# --- Coordinator ------------------------------------------------------------------------------


@pytest.fixture
def campaign_year(clock, campaign_world, personas):
    actor = personas.coordinator
    campaign = campaign_world.campaign
    for day, n in [(date(2027, 2, 3), 6), (date(2027, 3, 9), 2)]:
        for i in range(n):
            cs.action_record(
                actor=actor,
                campaign=campaign,
                action_type="press_conference",
                title=f"Press conference {day} {i}",
                occurred_on=day,
            )
    for i in range(5):
        cs.campaign_create(actor=actor, title=f"Campaign {i}", status="planning")
    return campaign_world


def test_coordinator_sees_campaigns_and_actions_with_small_counts_withheld(
    campaign_year, personas, login
):
    found = charts_of(home(login, personas.coordinator))
    actions = found["chart-campaign-actions"]
    months_before = actions["data"]["series"][0]["values"][:10]
    actual_before = [row[0] for row in shown(actions)[:10]]
    # The action campaign_world records today falls in March: 2 + 1 = 3, below 5.
    assert shown(actions)[-2:] == [[6], ["<5"]]
    assert series(actions)["actions"][-2:] == [6, 0]
    assert actions["data"]["series"][0]["withheld"][-1] is True
    assert months_before == [0] * 10 and actual_before == [0] * 10
    status = found["chart-campaign-status"]
    assert status["data"]["labels"] == [
        "Planning",
        "Active",
        "Won",
        "Partly won",
        "Lost",
        "Suspended",
    ]
    assert shown(status)[:2] == [[5], ["<5"]]  # five planned, the world's one active
    assert series(status)["campaigns"][:2] == [5, 0]
    assert status["k"] == 5


def test_a_coordinator_sees_no_caseload_numbers(campaign_year, personas, make_case, login):
    make_case()
    response = home(login, personas.coordinator)
    assert set(charts_of(response)) == {"chart-campaign-status", "chart-campaign-actions"}
    html = response.content.decode()
    assert "My caseload" not in html and "chart-my-risk" not in html
    assert "chart-branch" not in html and "chart-shelter" not in html


def test_the_small_cell_note_and_marker_label_reach_the_page(campaign_year, personas, login):
    html = home(login, personas.coordinator).content.decode()
    assert "Counts below 5 are shown as &lt;5 and drawn as zero, marked &lt;5." in html
    assert '"withheldLabel": "\\u003C5"' in html


# --- Policy officer -----------------------------------------------------------------------------


def test_policy_officer_sees_recommendations_and_the_deadlines_of_ninety_days(
    clock, policy_world, personas, login
):
    officer = personas.policy_officer
    review = ps.review_create(
        actor=officer,
        mechanism=policy_world.cedaw,
        cycle="10th periodic report",
        ngo_deadline=date(2027, 3, 20),
        follow_up_deadline=date(2027, 4, 30),
    )
    for due in (date(2027, 3, 19), date(2027, 7, 1)):  # the second is beyond 90 days
        ps.submission_create(
            actor=officer,
            kind="opinion",
            title=f"Opinion due {due}",
            lead_organisation=policy_world.centre,
            review=review,
            due_on=due,
        )
    found = charts_of(home(login, officer))
    status = found["chart-policy-status"]
    assert dict(zip(status["data"]["labels"], series(status)["recommendations"], strict=True)) == {
        "Not implemented": 0,
        "Partially implemented": 1,
        "Implemented": 0,
        "Regressed": 0,
        "Unknown": 1,
    }
    mechanism = found["chart-policy-mechanism"]
    assert mechanism["data"]["labels"] == ["CEDAW"]
    assert series(mechanism) == {"recommendations": [1]}
    deadlines = found["chart-policy-deadlines"]
    assert deadlines["data"]["labels"][0] == "2027-03-15"
    assert deadlines["data"]["labels"][-1] == "2027-06-14"  # the week of 15 June
    weekly = dict(zip(deadlines["data"]["labels"], series(deadlines)["deadlines"], strict=True))
    assert weekly["2027-03-15"] == 2 and weekly["2027-04-26"] == 1
    assert sum(weekly.values()) == 3
    assert not any(key.startswith(("chart-branch", "chart-my", "chart-audit")) for key in found)


# --- Auditor -----------------------------------------------------------------------------------


def test_auditor_sees_reads_and_exports_per_week_with_small_counts_withheld(clock, personas, login):
    actor = personas.admin
    for day, action, n in [
        (date(2027, 3, 16), AuditAction.READ, 7),
        (date(2027, 3, 16), AuditAction.EXPORT, 2),
        (date(2027, 3, 1), AuditAction.READ, 3),
        (date(2027, 3, 1), AuditAction.EXPORT, 5),
        (date(2026, 12, 1), AuditAction.READ, 9),  # thirteen weeks ago and more
    ]:
        at(clock, day, hour=0)  # just after midnight in Seoul: still the day before in UTC
        for i in range(n):
            audit_record(action=action, actor=actor, object_type="counselling.case", object_id=i)
    at(clock, NOW.date())
    found = charts_of(home(login, personas.auditor))
    assert set(found) == {"chart-audit-reads-exports"}
    chart = found["chart-audit-reads-exports"]
    labels = chart["data"]["labels"]
    assert labels[0] == "2026-12-28" and labels[-1] == "2027-03-15" and len(labels) == 12
    rows = dict(chart["rows"])
    assert rows["2027-03-15"] == [7, "<5"]
    assert rows["2027-03-01"] == ["<5", 5]
    assert rows["2027-03-08"] == [0, 0]
    assert series(chart) == {
        "reads": [0] * 9 + [0, 0, 7],
        "exports": [0] * 9 + [5, 0, 0],
    }


def test_no_other_role_sees_the_audit_chart(clock, personas, login):
    for who in ("counsellor_a", "manager_a", "coordinator", "policy_officer", "shelter_worker_a"):
        assert "chart-audit-reads-exports" not in charts_of(home(login, getattr(personas, who)))


# --- Queries --------------------------------------------------------------------------------------


def _queries(login, user) -> int:
    client = login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:dashboard")).status_code == 200
    return len(captured)


def test_queries_stay_the_same_as_stays_actions_and_events_grow(
    shelter_year, campaign_year, clock, personas, make_case, login
):
    users = [personas.shelter_worker_a, personas.coordinator, personas.auditor]
    before = [_queries(login, user) for user in users]
    worker = personas.shelter_worker_a
    for month in (10, 11):
        at(clock, date(2026, month, 2))
        stay = ss.stay_admit(actor=worker, case=make_case(), bed=shelter_year.test_beds["c"])
        at(clock, date(2026, month, 20))
        ss.stay_discharge(actor=worker, stay=stay, destination="home")
        cs.action_record(
            actor=personas.coordinator,
            campaign=campaign_year.campaign,
            action_type="rally",
            title=f"Rally {month}",
            occurred_on=date(2026, month, 20),
        )
        for i in range(3):
            audit_record(action=AuditAction.EXPORT, actor=worker, object_type="x", object_id=i)
    at(clock, NOW.date() + timedelta(hours=0))
    assert [_queries(login, user) for user in users] == before
