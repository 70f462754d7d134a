"""The charts of the home page for case work: a counsellor's own cases, a
manager's branch over twelve months, the transfers series other apps add, and
the number of queries, which does not grow with the records."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counselling import services
from counselling.dashboard import TRANSFERS_CHART
from ngo.lib import charts
from ngo.lib.dashboard import register_series, unregister_series

SEOUL = ZoneInfo("Asia/Seoul")
# A Wednesday: the twelve months drawn are 2026-04 to 2027-03.
NOW = datetime(2027, 3, 17, 10, 0, tzinfo=SEOUL)
MONTHS = [
    f"{y}-{m:02d}" for y, m in [(2026, m) for m in range(4, 13)] + [(2027, 1), (2027, 2), (2027, 3)]
]

SEVERE = {"threats_to_kill": True, "weapon": True}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


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


def at(clock, day: date, hour=10):
    clock.move_to(datetime(day.year, day.month, day.day, hour, 0, tzinfo=SEOUL))


# --- The shared pieces ------------------------------------------------------------------


def test_small_counts_are_shown_as_below_k_and_drawn_at_zero():
    chart = charts.chart(
        key="x", title="T", labels=list("abcde"), series=[("n", [0, 1, 4, 5, 12])], k=5
    )
    drawn = chart["data"]["series"][0]
    assert drawn["values"] == [0, 0, 0, 5, 12]
    assert drawn["withheld"] == [False, True, True, False, False]
    assert [values for _label, values in chart["rows"]] == [[0], ["<5"], ["<5"], [5], [12]]
    assert chart["data"]["withheldLabel"] == "<5"


def test_without_k_every_count_is_drawn_as_it_is():
    chart = charts.chart(key="x", title="T", labels=["a", "b"], series=[("n", [1, 4])])
    assert chart["data"]["series"][0]["values"] == [1, 4]
    assert chart["rows"] == [("a", [1]), ("b", [4])]


def test_months_and_weeks_run_oldest_first_to_the_current_one():
    assert charts.month_labels(charts.month_starts(date(2027, 3, 17))) == MONTHS
    assert charts.month_starts(date(2028, 1, 31), 2) == [date(2027, 12, 1), date(2028, 1, 1)]
    assert charts.week_starts(date(2027, 3, 17), 2) == [date(2027, 3, 8), date(2027, 3, 15)]
    assert charts.weeks_from(date(2027, 3, 17), date(2027, 3, 29)) == [
        date(2027, 3, 15),
        date(2027, 3, 22),
        date(2027, 3, 29),
    ]


# --- Counsellor -----------------------------------------------------------------------------


def test_counsellor_sees_her_open_cases_by_risk_and_the_follow_ups_of_the_week(
    clock, personas, make_case, login
):
    me = personas.counsellor_a
    severe, low, unassessed = make_case(), make_case(), make_case()
    services.risk_assess(actor=me, case=severe, answers=SEVERE)
    services.risk_assess(actor=me, case=low, answers={})
    make_case(actor=personas.counsellor_b)  # another branch's case
    for case, day in [(severe, 1), (low, 1), (unassessed, 6), (low, 7)]:
        services.session_record(
            actor=me, case=case, mode="phone", follow_up_on=NOW.date() + timedelta(days=day)
        )

    response = home(login, me)
    found = charts_of(response)
    assert series(found["chart-my-risk"]) == {"open cases": [1, 1, 0, 0, 1]}
    assert found["chart-my-risk"]["data"]["labels"] == [
        "Not assessed",
        "Low",
        "Medium",
        "High",
        "Severe",
    ]
    assert series(found["chart-my-follow-ups"]) == {"follow-ups": [0, 2, 0, 0, 0, 0, 1]}
    panel = next(p for p in response.context["panels"] if "follow_ups_week" in p)
    assert panel["follow_ups_week_total"] == 3
    assert [s.case_id for s in panel["follow_ups_week"]] == [severe.pk, low.pk, unassessed.pk]
    assert panel["high_risk"] == 1 and panel["open_cases"] == 3
    assert not any(key.startswith("chart-branch") for key in found)


def test_each_chart_has_a_table_and_an_accessible_canvas(clock, personas, make_case, login):
    make_case()
    html = home(login, personas.counsellor_a).content.decode()
    assert 'id="chart-my-risk" type="application/json"' in html
    assert (
        '<canvas class="dashboard-chart" data-chart="chart-my-risk" role="img" '
        'aria-label="My open cases by risk level" aria-describedby="chart-my-risk-table">'
    ) in html
    assert '<table class="table table-sm small visually-hidden" id="chart-my-risk-table">' in html
    assert "<caption>My open cases by risk level</caption>" in html
    assert 'aria-controls="chart-my-risk-table" aria-expanded="false"' in html
    assert "hamkke/dashboard-charts" in html and "vendor/chartjs/chart.umd" in html
    assert "<script>" not in html


# --- Manager --------------------------------------------------------------------------------


@pytest.fixture
def branch_year(clock, personas, make_case, organisations):
    """Cases, sessions and referrals of both branches at fixed dates."""
    a, b = personas.counsellor_a, personas.counsellor_b
    at(clock, date(2026, 2, 10))
    old = make_case(case_types=["labour"])
    services.session_record(actor=a, case=old, mode="phone", language="vi")
    at(clock, date(2026, 5, 10))
    may = [make_case(case_types=["domestic_violence", "residence"]), make_case()]
    at(clock, date(2026, 12, 1))
    december = make_case(case_types=["trafficking"])
    services.referral_create(
        actor=a, case=december, organisation=organisations["police"], shares_personal_data=False
    )
    at(clock, date(2027, 3, 2))
    march = make_case(case_types=["residence"])
    other = make_case(actor=b)
    for case, mode, language in [
        (march, "phone", "vi"),
        (march, "in_person", "zh"),
        (may[0], "phone", "vi"),
    ]:
        services.session_record(actor=a, case=case, mode=mode, language=language)
    services.session_record(actor=b, case=other, mode="online", language="tl")
    for organisation in ("hospital", "hospital"):
        services.referral_create(
            actor=a,
            case=march,
            organisation=organisations[organisation],
            shares_personal_data=False,
        )
    at(clock, NOW.date())
    return {"old": old, "may": may, "december": december, "march": march, "other": other}


def test_manager_sees_her_branch_over_twelve_months(branch_year, personas, login):
    found = charts_of(home(login, personas.manager_a))
    new_cases = found["chart-branch-new-cases"]
    assert new_cases["data"]["labels"] == MONTHS
    assert series(new_cases) == {"new cases": [0, 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]}
    types = dict(
        zip(
            found["chart-branch-case-types"]["data"]["labels"],
            series(found["chart-branch-case-types"])["open cases"],
            strict=True,
        )
    )
    assert types == {
        "Domestic violence": 2,
        "Sexual violence": 0,
        "Trafficking": 1,
        "Labour rights": 1,
        "Divorce / family law": 0,
        "Residence / nationality": 2,
        "Health / postnatal": 0,
        "Other": 0,
    }
    modes = dict(
        zip(
            found["chart-branch-session-modes"]["data"]["labels"],
            series(found["chart-branch-session-modes"])["sessions"],
            strict=True,
        )
    )
    assert modes["Phone"] == 2 and modes["In person"] == 1 and modes["Online"] == 0
    assert sum(modes.values()) == 3  # February 2026 is outside the year, Busan is not hers
    languages = found["chart-branch-session-languages"]
    assert series(languages) == {"sessions": [2, 1]}
    assert len(languages["data"]["labels"]) == 2
    referrals = found["chart-branch-referrals"]
    assert dict(zip(referrals["data"]["labels"], series(referrals)["referrals"], strict=True)) == {
        "Hospital": 2,
        "Police": 1,
    }
    # No case of hers was transferred this year (the transfers app draws the chart).
    assert series(found["chart-branch-transfers"]) == {
        "transferred in": [0] * 12,
        "transferred out": [0] * 12,
    }
    # Her own panel is about her own cases, none of which are assigned to her.
    assert series(found["chart-my-risk"]) == {"open cases": [0, 0, 0, 0, 0]}


def test_head_office_sees_every_branch(branch_year, personas, login):
    found = charts_of(home(login, personas.admin))
    assert series(found["chart-branch-new-cases"])["new cases"][-1] == 2
    modes = dict(
        zip(
            found["chart-branch-session-modes"]["data"]["labels"],
            series(found["chart-branch-session-modes"])["sessions"],
            strict=True,
        )
    )
    assert modes["Online"] == 1


def test_a_counsellor_gets_no_branch_charts(branch_year, personas, login):
    found = charts_of(home(login, personas.counsellor_a))
    assert set(found) == {"chart-my-risk", "chart-my-follow-ups"}


def test_transfers_are_drawn_from_the_series_another_app_registers(clock, personas, login):
    calls = []

    def transfers(*, user, months):
        calls.append((user, months))
        return [("in", [1] * len(months)), ("out", [0] * len(months))]

    register_series(TRANSFERS_CHART)(transfers)
    try:
        found = charts_of(home(login, personas.manager_a))
    finally:
        unregister_series(TRANSFERS_CHART, transfers)
    chart = found["chart-branch-transfers"]
    assert series(chart)["in"] == [1] * 12 and series(chart)["out"] == [0] * 12
    assert calls[0][0] == personas.manager_a
    assert charts.month_labels(calls[0][1]) == MONTHS
    assert "in" not in series(charts_of(home(login, personas.manager_a))["chart-branch-transfers"])


# --- Queries ----------------------------------------------------------------------------------


def _queries(login, user) -> int:
    client = login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:dashboard")).status_code == 200
    return len(captured)


def _more_case_work(clock, personas, make_case, organisations):
    a = personas.counsellor_a
    for months_ago in (1, 5):
        at(clock, date(2027, 3 - months_ago, 3) if months_ago < 3 else date(2026, 10, 3))
        case = make_case(case_types=["health", "other"])
        services.risk_assess(actor=a, case=case, answers=SEVERE)
        services.session_record(
            actor=a, case=case, mode="home_visit", language="mn", follow_up_on=NOW.date()
        )
        services.referral_create(
            actor=a, case=case, organisation=organisations["legal_aid"], shares_personal_data=False
        )
    at(clock, NOW.date())


@pytest.mark.parametrize("who", ["counsellor_a", "manager_a", "admin"])
def test_the_number_of_queries_does_not_grow_with_the_records(
    who, branch_year, clock, personas, make_case, organisations, login
):
    user = getattr(personas, who)
    before = _queries(login, user)
    _more_case_work(clock, personas, make_case, organisations)
    _more_case_work(clock, personas, make_case, organisations)
    assert _queries(login, user) == before
