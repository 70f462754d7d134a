"""Small-cell suppression on hand-built tables: primary (1..k-1 withheld, 0
shown), complementary (no line with a single withheld cell), and the proof
that no withheld cell can be computed back from what is published - by exact
linear algebra and by enumerating every table consistent with the output."""

import random

import pytest

from policy_monitor.statistics.suppression import (
    _grid,
    pinned_cells,
    published,
    recoverable_cells,
    suppress,
)
from policy_monitor.statistics.tabulation import OTHER, UNKNOWN, Table, age_band, tabulate

K = 5


def table(cells) -> Table:
    rows, columns = len(cells), len(cells[0])
    return Table(
        row_codes=[f"r{r}" for r in range(rows)],
        column_codes=[f"c{c}" for c in range(columns)],
        cells=cells,
        row_totals=[sum(row) for row in cells],
        column_totals=[sum(cells[r][c] for r in range(rows)) for c in range(columns)],
        total=sum(map(sum, cells)),
    )


def one_dimension(counts) -> Table:
    return Table(
        row_codes=[f"r{r}" for r in range(len(counts))],
        column_codes=[""],
        cells=[[n] for n in counts],
        row_totals=list(counts),
        column_totals=[sum(counts)],
        total=sum(counts),
    )


def possible_values(tab: Table, hidden: set, *, limit=20000, k=K) -> dict:
    """Every value each withheld figure can take in a table that agrees with
    everything published: zeros are shown, a "<k" figure is 1 to k-1 and an
    "x" figure k or more (what the two marks tell)."""
    values, lines = _grid(tab)
    unknown = sorted(hidden)
    # With every total withheld nothing bounds a cell: allow some headroom.
    bound = (max(values.values()) if values else 0) + 10
    bounds = {
        p: min(
            [values[line[-1]] for line in lines if p in line[:-1] and line[-1] not in hidden]
            or [bound]
        )
        for p in unknown
    }
    lowest = {p: 1 if values[p] < k else k for p in unknown}
    for p in unknown:
        if values[p] < k:
            bounds[p] = min(bounds[p], k - 1)
    found = {p: set() for p in unknown}
    solutions = [0]

    def line_state(line, assignment):
        inner = [p for p in line[:-1]]
        total = line[-1]
        missing = [p for p in line if p in hidden and p not in assignment]
        known = sum(assignment.get(p, values[p]) for p in inner if p not in missing)
        total_value = None if total in missing else assignment.get(total, values[total])
        return missing, known, total_value

    def solve(assignment):
        if solutions[0] >= limit:
            return
        # Propagate: a line with one unknown forces it.
        for line in lines:
            missing, known, total_value = line_state(line, assignment)
            if not missing:
                if known != total_value:
                    return
            elif len(missing) == 1:
                only = missing[0]
                value = total_value - known if only != line[-1] else known
                if only != line[-1] and total_value is None:
                    continue
                if value < lowest[only] or (values[only] < k and value > k - 1):
                    return
                solve({**assignment, only: value})
                return
        free = [p for p in unknown if p not in assignment]
        if not free:
            solutions[0] += 1
            for p, v in assignment.items():
                found[p].add(v)
            return
        for value in range(lowest[free[0]], bounds[free[0]] + 1):
            solve({**assignment, free[0]: value})

    solve({})
    return found


def assert_protected(tab: Table, k: int = K):
    hidden = suppress(tab, k)
    values, lines = _grid(tab)
    # Primary: every 1..k-1 withheld, zeros never.
    for position, value in values.items():
        if 0 < value < k:
            assert position in hidden, (position, value)
    # Complementary: no line with exactly one withheld figure.
    for line in lines:
        assert sum(1 for p in line if p in hidden) != 1, line
    # No withheld figure is a combination of published ones, nor pinned to
    # one value by the others being at least 1.
    assert recoverable_cells(values, lines, hidden) == set()
    assert pinned_cells(tab, values, hidden) == set()
    # Nor once the marks are read: "<k" at most k-1, "x" at least k.
    assert pinned_cells(tab, values, hidden, k=k) == set()
    return hidden


def test_primary_suppression_withholds_1_to_k_minus_1_and_shows_zero():
    out = published(table([[0, 12, 30], [3, 9, 25], [8, 14, 40]]), K)
    assert out["cells"][0][0] == 0
    assert out["cells"][1][0] == "<5"  # 3 < 5
    assert out["total"] == 141


def test_a_row_with_one_small_cell_gets_its_next_smallest_cell_withheld():
    tab = table([[2, 10, 12], [7, 8, 20], [15, 9, 11]])
    hidden = assert_protected(tab)
    # 2 is withheld; in its row the next smallest non-zero is 10, in its column 7;
    # then row 1 and column 1 need a partner: 8 closes the rectangle.
    assert {(0, 0), (0, 1), (1, 0), (1, 1)} <= hidden
    out = published(tab, K)
    assert out["cells"][2] == [15, 9, 11]
    assert out["row_totals"] == [24, 35, 35]
    assert out["column_totals"] == [24, 27, 43]


def test_subtraction_cannot_undo_suppression_in_a_two_dimensional_table():
    tab = table([[2, 10, 12], [7, 8, 20], [15, 9, 11]])
    hidden = suppress(tab, K)
    ranges = possible_values(tab, hidden)
    for position, values in ranges.items():
        assert len(values) >= 2, (position, values)
    # The true value of the small cell is among them, and so are others.
    assert 2 in ranges[(0, 0)] and len(ranges[(0, 0)]) >= 2


def test_a_row_total_below_k_is_withheld_and_its_cells_cannot_be_recovered():
    tab = table([[1, 2, 0], [20, 30, 40], [25, 35, 45]])
    hidden = assert_protected(tab)
    assert (0, 3) in hidden  # row total 3
    for values in possible_values(tab, hidden).values():
        assert len(values) >= 2


def test_two_protected_blocks_joined_by_one_cell_are_caught_by_the_algebra():
    """Every line has two or more withheld cells, yet (1, 2) is a bridge between
    two rectangles and could be computed back; the engine must withhold more."""
    cells = [
        [1, 2, 50, 60],
        [3, 4, 2, 70],
        [80, 90, 1, 2],
        [85, 95, 3, 4],
    ]
    tab = table(cells)
    values, lines = _grid(tab)
    primary = {p for p, v in values.items() if 0 < v < K}
    assert recoverable_cells(values, lines, primary) == {(1, 2)}
    hidden = assert_protected(tab)
    for values_ in possible_values(tab, hidden).values():
        assert len(values_) >= 2


def test_a_cell_pinned_by_its_neighbours_being_at_least_one_is_protected():
    """Found by the random tests: with the line rule alone, the 1 in row 0 could
    only be 1, since any other value would make another withheld cell 0."""
    tab = table([[6, 6, 1, 1], [5, 8, 5, 0], [2, 5, 5, 4]])
    hidden = assert_protected(tab)
    for position, values in possible_values(tab, hidden).items():
        assert len(values) >= 2, (position, values)


def test_one_dimensional_table_keeps_a_single_small_category_hidden():
    tab = one_dimension([2, 10, 12, 0])
    out = published(tab, K)
    assert out["cells"][0] == ["<5"]
    assert out["cells"][1] == ["x"]  # complementary: else 24 - 10 - 12 = 2
    assert out["cells"][2] == [12]
    assert out["cells"][3] == [0]
    assert out["total"] == 24
    assert_protected(tab)


def test_total_below_k_withholds_everything_but_zeros():
    out = published(one_dimension([1, 0, 2]), K)
    assert out["cells"] == [["<5"], [0], ["<5"]]
    assert out["total"] == "<5"


@pytest.mark.parametrize("seed", range(150))
def test_random_small_tables_are_protected(seed):
    rng = random.Random(seed)
    rows, columns = rng.choice([(2, 3), (3, 3), (3, 4)])
    cells = [
        [rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12]) for _c in range(columns)] for _r in range(rows)
    ]
    tab = table(cells)
    hidden = assert_protected(tab)
    for position, values in possible_values(tab, hidden).items():
        assert len(values) >= 2, (cells, position, values)


@pytest.mark.parametrize("seed", range(10))
def test_random_larger_tables_pass_the_algebraic_check(seed):
    rng = random.Random(1000 + seed)
    cells = [[rng.choice([0, 1, 2, 3, 4, 7, 15, 30]) for _c in range(7)] for _r in range(9)]
    assert_protected(table(cells), k=rng.choice([3, 5, 10]))


def test_tabulate_counts_each_unit_once_in_totals_and_merges_rare_countries():
    units = (
        [{"nationality": "VN", "case_type": ["domestic_violence", "residence"]}] * 6
        + [{"nationality": "PH", "case_type": ["labour"]}] * 5
        + [{"nationality": "UZ", "case_type": ["labour"]}] * 2
        + [{"nationality": None, "case_type": []}]
    )
    tab = tabulate(units, "nationality", "case_type", k=K)
    assert "UZ" not in tab.row_codes and OTHER in tab.row_codes and UNKNOWN in tab.row_codes
    assert tab.total == 14
    vn = tab.row_codes.index("VN")
    assert tab.row_totals[vn] == 6  # six women, though twelve (woman, type) pairs
    assert tab.additive is False


def test_ages_become_bands_only():
    assert [age_band(a) for a in (None, 17, 20, 29, 34, 59, 60, 81)] == [
        UNKNOWN,
        "under_20",
        "20_29",
        "20_29",
        "30_39",
        "50_59",
        "60_plus",
        "60_plus",
    ]


@pytest.mark.parametrize("seed", range(40))
def test_random_one_dimensional_tables_are_protected(seed):
    rng = random.Random(5000 + seed)
    counts = [rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14]) for _r in range(rng.randint(2, 6))]
    tab = one_dimension(counts)
    hidden = assert_protected(tab)
    for position, values in possible_values(tab, hidden).items():
        assert len(values) >= 2, (counts, position, values)


def test_a_second_dimension_with_one_category_keeps_its_column_header():
    # Case type by nationality where every woman is of one nationality: a
    # two-way table of one column, not a one-dimensional table.
    units = [{"case_type": ["domestic_violence"], "nationality": "VN"} for _ in range(7)]
    units += [{"case_type": ["labour"], "nationality": "VN"} for _ in range(6)]
    table = tabulate(units, "case_type", "nationality", k=5)
    assert not table.one_dimensional
    shown = published(table, 5)
    assert shown["column_codes"] == ["VN"]
    assert shown["column_totals"] == [13]
    assert all(len(row) == len(shown["column_codes"]) for row in shown["cells"])
    assert len(shown["row_totals"]) == len(shown["row_codes"])
    one_way = tabulate(units, "case_type", None, k=5)
    assert one_way.one_dimensional
    assert published(one_way, 5)["column_codes"] == []
