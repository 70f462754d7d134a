"""Counting shadow-report datasets in SQL: the tables equal those of the
Python engine that loaded every row (tests/statistics_oracle.py) over a fixed
randomised population, for every dimension and pair of dimensions, both
period bases and a branch subset; one set of categories per dataset; the
raw codes streamed for the disclosure checks; constant query count.

Run on PostgreSQL too:
DATABASE_URL=postgres://hamkke:hamkke@127.0.0.1:55432/hamkke_sqlcount"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counselling import services
from policy_monitor.statistics import counting, tabulation
from policy_monitor.statistics import services as stats
from policy_monitor.statistics.tabulation import DIMENSIONS, OTHER, UNKNOWN
from tests import statistics_oracle
from tests.statistics_population import consent, populate

WOMAN_DIMENSIONS = [
    "year",
    "quarter",
    "branch",
    "nationality",
    "residence_status",
    "visa_validity",
    "case_type",
    "service",
    "risk_level",
    "violence_type",
    "perpetrator",
    "age_band",
    "marital_status",
    "has_children",
]
BEFORE = ["clients", "cases", "sessions"]
K = 3


def _dataset(
    personas, *, basis="served", branches=(), dimensions=("nationality",), measures=BEFORE
):
    return stats.dataset_create(
        actor=personas.policy_officer,
        title="Oracle",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
        period_basis=basis,
        branches=list(branches),
        dimensions=list(dimensions),
        measures=list(measures),
        min_cell_size=K,
        generate=False,
    )


def _figures(table) -> tuple:
    """What a table says, whatever order or zero rows it lists."""
    cells = {
        (r, c): n
        for r, row in zip(table.row_codes, table.cells, strict=True)
        for c, n in zip(table.column_codes, row, strict=True)
        if n
    }
    rows = {r: n for r, n in zip(table.row_codes, table.row_totals, strict=True) if n}
    columns = {c: n for c, n in zip(table.column_codes, table.column_totals, strict=True) if n}
    return cells, rows, columns, table.total


def _oracle_tables(dataset, units) -> dict:
    """The Python units, merged once from the women, counted one by one."""
    keys = list(dataset.dimensions)
    rare = {}
    for key in keys:
        if DIMENSIONS[key].merge_rare:
            counts = {}
            for unit in units["clients"]:
                for code in set(tabulation._codes(unit, key)):
                    counts[code] = counts.get(code, 0) + 1
            rare[key] = {c for c, n in counts.items() if n < K and c not in (OTHER, UNKNOWN)}

    def codes(unit, key):
        return sorted(
            {OTHER if c in rare.get(key, ()) else c for c in tabulation._codes(unit, key)}
        )

    row_dim = DIMENSIONS[keys[0]]
    column_dim = DIMENSIONS[keys[1]] if len(keys) > 1 else None
    return {
        measure: tabulation.table_of(
            [
                (codes(unit, keys[0]), codes(unit, keys[1]) if column_dim else [""], 1)
                for unit in units[measure]
            ],
            row_dim,
            column_dim,
        )
        for measure in BEFORE
    }


@pytest.fixture
def world(personas):
    return populate(personas)


@pytest.mark.parametrize(
    ("basis", "busan_only"), [("served", False), ("opened", False), ("served", True)]
)
def test_sql_tables_equal_the_python_engine_for_every_breakdown(
    world, personas, branch_b, basis, busan_only
):
    dataset = _dataset(personas, basis=basis, branches=[branch_b] if busan_only else [])
    units, counted, excluded = statistics_oracle.build_units(
        dataset, statistics_oracle.gather(dataset)
    )
    assert counted > 10 and excluded > 3  # the population is no trivial one
    pairs = [(key,) for key in WOMAN_DIMENSIONS] + list(itertools.combinations(WOMAN_DIMENSIONS, 2))
    for pair in pairs:
        dataset.dimensions = list(pair)
        result = counting.count_dataset(dataset)
        assert (result.counted, result.excluded) == (counted, excluded)
        expected = _oracle_tables(dataset, units)
        for measure in BEFORE:
            assert _figures(result.tables[measure]) == _figures(expected[measure]), (pair, measure)
        # One set of categories for every table of the dataset.
        first = result.tables["clients"]
        for table in result.tables.values():
            assert (table.row_codes, table.column_codes) == (first.row_codes, first.column_codes)


def test_residence_status_is_grouped_by_its_blind_index_never_decrypted(world, personas):
    dataset = _dataset(personas, dimensions=["residence_status"], measures=["clients"])
    with CaptureQueriesContext(connection) as captured:
        result = counting.count_dataset(dataset)
    grouped = [q["sql"] for q in captured if "GROUP BY" in q["sql"]]
    assert grouped and all("residence_status_index" in sql for sql in grouped)
    assert not any('"residence_status"' in sql for sql in grouped)
    units, _c, _e = statistics_oracle.build_units(dataset, statistics_oracle.gather(dataset))
    statuses = [u["residence_status"] or UNKNOWN for u in units["clients"]]
    table = result.tables["clients"]
    for code, n in zip(table.row_codes, table.row_totals, strict=True):
        assert statuses.count(code) == n


@time_machine.travel(datetime(2026, 5, 31, 23, 59, 50, tzinfo=ZoneInfo("Asia/Seoul")), tick=False)
def test_a_nationality_rare_among_women_is_other_in_every_table(make_case, personas):
    """Two Mongolian women with many sessions: rare among women (k=3), so
    "Other" in the sessions table too, though they have ten sessions."""
    for n in range(5):
        case = make_case(nationality="MN" if n < 2 else "VN")
        consent(case.created_by, case.client, True)
        for _s in range(5 if n < 2 else 1):
            services.session_record(actor=case.created_by, case=case, mode="phone")
    from django.utils import timezone

    today = timezone.localdate()
    dataset = stats.dataset_create(
        actor=personas.policy_officer,
        title="Merge once",
        period_from=today,
        period_to=today,
        dimensions=["nationality"],
        measures=["sessions"],
        min_cell_size=3,
        generate=False,
    )
    result = counting.count_dataset(dataset)
    sessions = result.tables["sessions"]
    assert sessions.row_codes == ["VN", OTHER]
    assert sessions.row_totals == [3, 10]
    assert result.counted == 5


def test_unit_cells_stream_the_raw_codes_before_any_merge(world, personas):
    dataset = _dataset(personas, dimensions=["nationality", "case_type"])
    definition = counting.Definition.of(dataset)
    cells = list(counting.unit_cells(definition, "cases"))
    units, _c, _e = statistics_oracle.build_units(dataset, statistics_oracle.gather(dataset))
    assert len(cells) == len(units["cases"]) == len({key for key, _r, _c in cells})
    assert all(key[0] == "case" for key, _r, _c in cells)
    nationalities = sorted(codes for _key, codes, _columns in cells)
    assert nationalities == sorted(
        tuple(tabulation._codes(u, "nationality")) for u in units["cases"]
    )
    assert OTHER not in {code for _k, rows, _c in cells for code in rows}
    types = sorted(columns for _key, _rows, columns in cells)
    assert types == sorted(tuple(tabulation._codes(u, "case_type")) for u in units["cases"])
    one_way = counting.Definition(**{**definition.__dict__, "dimensions": ["year"]})
    women = list(counting.unit_cells(one_way, "clients"))
    assert len(women) == len(units["clients"])
    assert {columns for _k, _r, columns in women} == {("",)}


def test_progress_is_reported_between_measures(world, personas):
    dataset = _dataset(personas)
    seen = []
    stats.compute_tables(dataset, on_progress=seen.append)
    assert seen[0] == 0 and seen[-1] == 100
    assert seen == sorted(seen) and len(seen) == len(BEFORE) + 2


def test_generation_queries_do_not_grow_with_the_number_of_women(personas):
    measures = ["clients", "cases", "sessions", "referrals", "stays", "bed_nights", "children"]

    def queries_for(n, seed):
        populate(personas, n=n, seed=seed)
        dataset = _dataset(personas, dimensions=["branch", "nationality"], measures=measures)
        with CaptureQueriesContext(connection) as captured:
            result = counting.count_dataset(dataset)
        return len(captured), result.counted

    few, counted_few = queries_for(4, 1)
    many, counted_many = queries_for(16, 2)
    assert counted_many > counted_few
    assert few == many <= len(measures) + 3
