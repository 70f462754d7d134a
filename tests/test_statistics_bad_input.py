"""Bad input to a dataset, on the form and through the API: a clear message in
English and Korean, nothing saved, nothing queued. A period after the current
month or before the centre's records, k below 3, no consenting woman in scope,
fewer than k of them (every figure would be withheld), no hotline calls."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone, translation

from policy_monitor.statistics import preview
from policy_monitor.statistics import services as dataset_services
from policy_monitor.statistics.models import StatisticsDataset
from tests.conftest import verified_client
from tests.statistics_world import build_world, consent

API = "/api/v1/statistics-datasets/"


@pytest.fixture(autouse=True)
def _one_day(request):
    with time_machine.travel(timezone.now(), tick=False):
        yield


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def form_data(**changes):
    today = timezone.localdate()
    return {
        "title": "CEDAW annex",
        "period_from": f"{today:%Y-%m}",
        "period_to": f"{today:%Y-%m}",
        "period_basis": "served",
        "rows": "nationality",
        "columns": "",
        "measures": ["clients"],
        "min_cell_size": 3,
        **changes,
    }


def api_data(**changes):
    today = timezone.localdate()
    return {
        "title": "CEDAW annex",
        "period_from": f"{today:%Y-%m}-01",
        "period_to": f"{today:%Y-%m-%d}",
        "dimensions": ["nationality"],
        "measures": ["clients"],
        "min_cell_size": 3,
        **changes,
    }


def post_form(personas, django_capture_on_commit_callbacks, **changes):
    client = verified_client(personas.policy_officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/policy/statistics/new/", form_data(**changes), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200  # the form again, not a redirect
    assert not callbacks  # nothing queued
    assert not StatisticsDataset.objects.exists()  # nothing saved
    return response.context["form"]


def post_api(personas, django_capture_on_commit_callbacks, **changes):
    client = verified_client(personas.policy_officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            API, api_data(**changes), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400, response.content
    assert not callbacks
    assert not StatisticsDataset.objects.exists()
    return response.json()["error"]["fields"]


@pytest.fixture
def world(make_case, personas, branch_a):
    return build_world(make_case, personas, branch_a)


def test_a_period_after_the_current_month_is_refused(
    world, personas, django_capture_on_commit_callbacks
):
    future = next_month(timezone.localdate())
    form = post_form(personas, django_capture_on_commit_callbacks, period_to=f"{future:%Y-%m}")
    this_month = f"{timezone.localdate():%Y-%m}"
    assert form.errors["period_to"] == [
        f"The period cannot end after the current month ({this_month}): there is nothing "
        "to count yet."
    ]
    fields = post_api(
        personas,
        django_capture_on_commit_callbacks,
        period_from=f"{future:%Y-%m-%d}",
        period_to=f"{future:%Y-%m-%d}",
    )
    assert set(fields) == {"period_from", "period_to"}
    assert this_month in fields["period_from"][0]


def test_the_current_month_is_accepted(world, personas):
    response = verified_client(personas.policy_officer).post(
        API, api_data(), content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_a_period_before_the_records_is_refused(
    world, personas, settings, django_capture_on_commit_callbacks
):
    form = post_form(personas, django_capture_on_commit_callbacks, period_from="1999-12")
    assert form.errors["period_from"] == [
        "The centre's records begin in 2000-01: the period cannot start earlier."
    ]
    settings.STATISTICS_RECORDS_START = date(2010, 1, 1)
    fields = post_api(personas, django_capture_on_commit_callbacks, period_from="2009-12-01")
    assert fields["period_from"] == [
        "The centre's records begin in 2010-01: the period cannot start earlier."
    ]
    assert preview.period_problems(date(2010, 1, 1), date(2010, 1, 31)) == {}


def test_k_below_three_is_refused(world, personas, django_capture_on_commit_callbacks):
    form = post_form(personas, django_capture_on_commit_callbacks, min_cell_size=2)
    assert "min_cell_size" in form.errors
    fields = post_api(personas, django_capture_on_commit_callbacks, min_cell_size=2)
    assert "min_cell_size" in fields


def test_no_consenting_woman_in_scope_is_refused(
    make_case, personas, django_capture_on_commit_callbacks
):
    make_case(name_romanised="Never Asked")
    withdrew = make_case(name_romanised="Said No")
    consent(withdrew, given=False)
    message = (
        "No woman in this scope has consented to statistical use: there is nothing to count. "
        "Choose other months or branches."
    )
    form = post_form(personas, django_capture_on_commit_callbacks)
    assert form.non_field_errors() == [message]
    korean = verified_client(personas.policy_officer).post(
        "/policy/statistics/new/", form_data(), HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert "통계 이용에 동의한 여성이 없어 셀 것이 없습니다" in korean.content.decode()
    fields = post_api(personas, django_capture_on_commit_callbacks)
    assert fields == {"non_field_errors": [message]}


def test_fewer_consenting_women_than_k_is_refused_before_generating(
    world, personas, branch_b, django_capture_on_commit_callbacks
):
    # Six consenting women at SEO: k=7 would withhold every figure.
    message = (
        "Fewer than 7 women in this scope have consented to statistical use: every figure "
        "would be withheld. Widen the months or the branches."
    )
    form = post_form(personas, django_capture_on_commit_callbacks, min_cell_size=7)
    assert form.non_field_errors() == [message]
    fields = post_api(personas, django_capture_on_commit_callbacks, min_cell_size=7)
    assert fields == {"non_field_errors": [message]}
    # Regenerating a dataset whose scope has emptied since is refused the same way.
    dataset = dataset_services.dataset_create(
        actor=personas.policy_officer,
        title="Busan",
        period_from=timezone.localdate(),
        period_to=timezone.localdate(),
        dimensions=["nationality"],
        measures=["clients"],
        branches=[branch_b],
        generate=False,
    )
    response = verified_client(personas.policy_officer).post(
        f"{API}{dataset.pk}/generate/", content_type="application/json"
    )
    assert response.status_code == 400
    dataset.refresh_from_db()
    assert dataset.status == "draft"


def test_a_calls_dataset_needs_calls_in_scope(
    personas, branch_b, django_capture_on_commit_callbacks
):
    fields = post_api(
        personas,
        django_capture_on_commit_callbacks,
        dimensions=["call_topic"],
        measures=["calls"],
    )
    assert fields == {
        "non_field_errors": ["There are no hotline calls in this scope: there is nothing to count."]
    }


def test_the_counts_before_generating_are_count_queries(world, personas, django_assert_num_queries):
    today = timezone.localdate()
    scope = preview.Scope(
        period_from=today.replace(day=1),
        period_to=today,
        period_basis="served",
        branch_ids=[],
        measures=["clients", "calls"],
        min_cell_size=3,
    )
    with django_assert_num_queries(2) as captured:
        assert preview.scope_problems(scope) == []
    assert all("COUNT(" in query["sql"].upper() for query in captured.captured_queries)
    assert preview.consenting_women(scope) == 6
    assert preview.calls_in_scope(scope) == 4


@pytest.mark.parametrize(
    "english",
    [
        "No woman in this scope has consented to statistical use: there is nothing to count. "
        "Choose other months or branches.",
        "Fewer than %(k)s women in this scope have consented to statistical use: every figure "
        "would be withheld. Widen the months or the branches.",
        "The period cannot end after the current month (%(month)s): there is nothing to count yet.",
        "The centre's records begin in %(month)s: the period cannot start earlier.",
        "Nothing is being generated: there is nothing to cancel.",
        "Generation cancelled",
        "withheld so that another withheld count cannot be worked out",
        "a count from 1 to %(last)s, withheld",
    ],
)
def test_the_messages_are_in_korean(english):
    with translation.override("ko"):
        korean = translation.gettext(english)
    assert korean != english
    assert any("\uac00" <= ch <= "\ud7a3" for ch in korean)
