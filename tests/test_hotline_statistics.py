"""Hotline calls as a count of shadow-report datasets: counted by their own
dimensions with the small-cell rule; a dataset mixing calls with a woman's
dimensions is refused with a message."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from counselling.hotline import services as hotline
from policy_monitor.statistics import services as stats
from policy_monitor.statistics.models import StatisticsDataset
from tests.conftest import verified_client


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 11))


@pytest.fixture
def calls(personas, branch_a, branch_b):
    for n in range(6):
        hotline.call_record(
            actor=personas.counsellor_a,
            branch=branch_a,
            started_at=at(date(2025, 2, 1 + n)),
            topics=["domestic_violence"] if n else ["domestic_violence", "labour"],
            language="vi",
        )
    hotline.call_record(
        actor=personas.counsellor_b,
        branch=branch_b,
        started_at=at(date(2025, 5, 3)),
        topics=["health"],
        language="mn",
    )
    # Outside the period.
    hotline.call_record(
        actor=personas.counsellor_a, branch=branch_a, started_at=at(date(2024, 12, 31))
    )


def _dataset(personas, dimensions, measures=("calls",)):
    return stats.dataset_create(
        actor=personas.policy_officer,
        title="Hotline 2025",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
        dimensions=list(dimensions),
        measures=list(measures),
    )


def _tables(dataset):
    stats.dataset_generate(dataset_id=dataset.pk)
    dataset.refresh_from_db()
    return dataset.tables


def test_calls_are_counted_by_topic_with_small_cells_withheld(calls, personas):
    table = _tables(_dataset(personas, ["call_topic"]))["calls"]
    counts = dict(zip(table["row_codes"], table["cells"], strict=True))
    true_counts = {"domestic_violence": 6, "labour": 1, "health": 1}
    assert set(true_counts) <= set(counts)
    # One call of a topic is below k: withheld, never shown.
    assert counts["labour"] == ["<5"] and counts["health"] == ["<5"]
    for code, shown in counts.items():
        assert shown in ([true_counts.get(code, 0)], ["<5"], ["x"])
    assert table["additive"] is False and table["suppressed"] >= 2


def test_calls_by_year_count_each_call_of_the_period_once(calls, personas):
    table = _tables(_dataset(personas, ["year"]))["calls"]
    assert table["row_codes"] == ["2025"] and table["cells"] == [[7]]


def test_calls_by_branch_and_quarter(calls, personas):
    table = _tables(_dataset(personas, ["branch", "quarter"]))["calls"]
    assert set(table["row_codes"]) == {"SEO", "BUS"}
    bus = table["row_codes"].index("BUS")
    assert table["cells"][bus][table["column_codes"].index("Q2")] == "<5"  # one call
    seo = table["row_codes"].index("SEO")
    assert table["cells"][seo][table["column_codes"].index("Q1")] in (6, "x")


@pytest.mark.parametrize(
    ("dimensions", "measures"),
    [
        (["nationality"], ["calls"]),
        (["year", "age_band"], ["calls"]),
        (["call_topic"], ["cases"]),
        (["call_language"], ["calls", "clients"]),
    ],
)
def test_calls_and_a_womans_dimensions_do_not_mix(personas, dimensions, measures):
    with pytest.raises(ValidationError) as refused:
        _dataset(personas, dimensions, measures)
    assert "measures" in refused.value.message_dict
    assert not StatisticsDataset.objects.exists()


def test_the_api_refuses_a_mixed_dataset_with_a_message(personas):
    response = verified_client(personas.policy_officer).post(
        "/api/v1/statistics-datasets/",
        {
            "title": "Mixed",
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
            "dimensions": ["nationality"],
            "measures": ["calls"],
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "no woman behind them" in str(response.json()["error"]["fields"])
