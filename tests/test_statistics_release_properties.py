"""Properties of the release auditor over random populations and random
sequences of releases (overlapping periods, branch subsets, other breakdowns
of the same women, k changed between releases): after every release the
auditor accepts, an attacker holding everything released isolates no small
group, and no withheld figure of a table can be computed back from it.

The releases are counted in memory (tabulation, suppression, auditor: the
same code as generation) from a population drawn by hypothesis; the attacker
is tests/disclosure_attacker.py, built apart from the auditor."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_monitor.statistics.auditor import (
    Auditor,
    Released,
    ReleaseRefused,
    audit_tables,
    cells_of_units,
)
from policy_monitor.statistics.tabulation import tabulate
from tests.disclosure_attacker import Attacker

BREAKDOWNS = [
    ["nationality", "residence_status"],
    ["residence_status"],
    ["nationality"],
    ["residence_status", "age_band"],
    ["age_band", "nationality"],
]

woman = st.fixed_dictionaries(
    {
        "nationality": st.sampled_from(["VN", "PH", "KH"]),
        "residence_status": st.sampled_from(["F-6", "E-9", "undocumented"]),
        "age_band": st.sampled_from(["20_29", "30_39"]),
        "month": st.integers(1, 6),
        "branch": st.sampled_from([1, 2]),
    }
)
release = st.fixed_dictionaries(
    {
        "months": st.tuples(st.integers(1, 6), st.integers(1, 6)).map(sorted),
        "branch_ids": st.sampled_from([[], [1], [2]]),
        "dimensions": st.sampled_from(BREAKDOWNS),
        "k": st.sampled_from([3, 4, 5]),
    }
)


def population_cells(population):
    def units_of(definition):
        first, last = int(definition["period_from"][5:7]), int(definition["period_to"][5:7])
        return [
            {**w, "_key": f"w{i}"}
            for i, w in enumerate(population)
            if first <= w["month"] <= last
            and (not definition["branch_ids"] or w["branch"] in definition["branch_ids"])
        ]

    def cells(definition, measure="clients"):
        return cells_of_units(units_of(definition), definition["dimensions"])

    return units_of, cells


def run_releases(population, plan):
    """Release each planned table through the auditor; the ledger of accepted ones."""
    units_of, cells = population_cells(population)
    ledger: list[Released] = []
    refused = 0
    for number, step in enumerate(plan):
        first, last = step["months"]
        definition = {
            "period_from": f"2025-{first:02d}-01",
            "period_to": f"2025-{last:02d}-28",
            "period_basis": "served",
            "branch_ids": step["branch_ids"],
            "dimensions": step["dimensions"],
            "k": step["k"],
        }
        units = units_of(definition)
        rows = step["dimensions"][0]
        columns = step["dimensions"][1] if len(step["dimensions"]) > 1 else None
        raw = {"clients": tabulate(units, rows, columns, k=step["k"])}

        def described(table, definition=definition):
            return {
                **definition,
                "row_codes": table["row_codes"],
                "column_codes": table["column_codes"],
            }

        try:
            tables = audit_tables(
                raw,
                step["k"],
                auditors={"clients": Auditor("clients", list(ledger), cells)},
                members={"clients": list(cells(definition))},
                definition=described,
            )
        except ReleaseRefused:
            refused += 1
            continue
        table = tables["clients"]
        ledger.append(Released(f"r{number}", described(table), table))
        yield ledger, cells
    assert refused <= len(plan)


def as_dicts(ledger):
    return [{"definition": r.definition, "figures": r.figures} for r in ledger]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(population=st.lists(woman, min_size=4, max_size=28), plan=st.lists(release, max_size=4))
def test_an_attacker_with_every_release_isolates_no_small_group(population, plan):
    for ledger, cells in run_releases(population, plan):
        attacker = Attacker(as_dicts(ledger), cells)
        assert attacker.exposed() == []
        newest = ledger[-1]
        alone = Attacker(as_dicts([newest]), cells)
        assert alone.pinned_withheld() == [], newest.figures


def test_the_june_woman_stays_hidden_whichever_order_the_tables_leave():
    """Fixed example of the differencing attack, without a database: one
    undocumented Cambodian woman in June, January-June then January-May and
    the other way round."""
    population = (
        [{"nationality": "VN", "residence_status": "F-6", "age_band": "20_29"}] * 9
        + [{"nationality": "VN", "residence_status": "E-9", "age_band": "30_39"}] * 6
        + [{"nationality": "KH", "residence_status": "F-6", "age_band": "20_29"}] * 6
    )
    population = [{**w, "month": 1 + i % 5, "branch": 1} for i, w in enumerate(population)]
    population.append(
        {
            "nationality": "KH",
            "residence_status": "undocumented",
            "age_band": "20_29",
            "month": 6,
            "branch": 1,
        }
    )
    her = f"w{len(population) - 1}"
    crossed = {"branch_ids": [], "dimensions": ["nationality", "residence_status"], "k": 5}
    for order in ([(1, 6), (1, 5)], [(1, 5), (1, 6)]):
        plan = [{**crossed, "months": months} for months in order]
        ledgers = list(run_releases(population, plan))
        assert ledgers, "the first table is always releasable"
        ledger, cells = ledgers[-1]
        attacker = Attacker(as_dicts(ledger), cells)
        assert attacker.exposed() == []
        # She is in a "<5" cell (which says 1 to 4); nothing pins her group's size.
        low, high = attacker.bounds(frozenset([a for a in attacker.atoms if her in a][0]))
        assert low < high, (low, high)
