"""The aggregation and small-cell suppression engine of shadow-report datasets.

Pure Python, no database: `dataset_services` gathers the records (three
queries), this module turns them into tables that can be published.

How a table is protected (modelled on the GBVIMS data-sharing protocol):

1. Primary suppression: every count from 1 to k-1 - inner cells and totals
   alike - is withheld and shown as "<k". Zero stays 0.
2. Complementary suppression: a row or column (its total included) with
   exactly one withheld cell would give that cell away by subtraction, so the
   next smallest non-zero cell of that line is withheld too.
3. A final exact check: the published cells and totals are a set of
   equations (each line sums to its total) and every withheld figure is at
   least 1 (zeros are shown). A withheld cell with only one value consistent
   with all that - whether by plain subtraction or by a chain of rows and
   columns - is exposed; while any exposed cell exists, one more cell near
   it is withheld (`pinned_cells`). `recoverable_cells` is the purely linear
   version of the same question, kept for the tests.

Open vocabularies (nationality) are also coarsened before suppression:
categories with fewer than k units overall are merged into "other", so that a
rare nationality does not appear as its own row at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MIN_CELL_SIZE = 3
DEFAULT_CELL_SIZE = 5
OTHER = "_other"
UNKNOWN = "_unknown"

# --- Dimensions --------------------------------------------------------------------------


def _choices(text_choices) -> list[tuple[str, str]]:
    return list(text_choices.choices)


def _lazy_choices(name: str) -> Callable[[], list[tuple[str, str]]]:
    def load():
        from counselling import models

        return _choices(getattr(models, name))

    return load


AGE_BANDS = [
    ("under_20", _("under 20")),
    ("20_29", _("20-29")),
    ("30_39", _("30-39")),
    ("40_49", _("40-49")),
    ("50_59", _("50-59")),
    ("60_plus", _("60 and over")),
]
VISA_VALIDITY = [
    ("expired", _("Expired at the end of the period")),
    ("valid", _("Valid at the end of the period")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
QUARTERS = [(f"Q{n}", f"Q{n}") for n in range(1, 5)]


@dataclass(frozen=True)
class Dimension:
    key: str
    label: object
    # Fixed categories, or None for an open vocabulary (years, countries).
    categories: Callable[[], list[tuple[str, str]]] | None = None
    # A unit may fall in several categories (a case of two types).
    multi: bool = False
    # Rare categories (fewer than k units) are merged into "other".
    merge_rare: bool = False

    def category_labels(self) -> dict[str, str]:
        labels = {
            code: str(label) for code, label in (self.categories() if self.categories else [])
        }
        labels[OTHER] = str(pgettext_lazy("statistics category", "Other"))
        labels[UNKNOWN] = str(pgettext_lazy("statistics category", "Not recorded"))
        return labels

    def label_of(self, code: str) -> str:
        labels = self.category_labels()
        if code in labels:
            return labels[code]
        if self.key == "nationality":
            from django_countries import countries

            return str(countries.name(code) or code)
        return str(code)


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension("year", _("Year")),
        Dimension("quarter", _("Quarter"), categories=lambda: QUARTERS),
        Dimension("branch", _("Branch")),
        Dimension("nationality", _("Nationality"), merge_rare=True),
        Dimension(
            "residence_status", _("Residence status"), categories=_lazy_choices("ResidenceStatus")
        ),
        Dimension(
            "visa_validity", _("Visa expiry (end of period)"), categories=lambda: VISA_VALIDITY
        ),
        Dimension("case_type", _("Case type"), categories=_lazy_choices("CaseType"), multi=True),
        Dimension(
            "service", _("Services delivered"), categories=_lazy_choices("Service"), multi=True
        ),
        Dimension("risk_level", _("Risk level"), categories=_lazy_choices("RiskLevel")),
        Dimension("age_band", _("Age band"), categories=lambda: AGE_BANDS),
        Dimension("marital_status", _("Marital status"), categories=_lazy_choices("MaritalStatus")),
        Dimension("has_children", _("Has children"), categories=lambda: YES_NO),
    )
}
MAX_DIMENSIONS = 2


def dimension_choices() -> list[tuple[str, object]]:
    return [(d.key, d.label) for d in DIMENSIONS.values()]


# --- Units: what is counted ---------------------------------------------------------------


def age_band(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    if age < 20:
        return "under_20"
    if age >= 60:
        return "60_plus"
    low = age // 10 * 10
    return f"{low}_{low + 9}"


def age_on(birth_date: date | None, estimated_age: int | None, on: date) -> int | None:
    if birth_date is not None:
        return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return estimated_age


def quarter_of(day: date) -> str:
    return f"Q{(day.month - 1) // 3 + 1}"


RISK_ORDER = ["none", "low", "medium", "high", "severe"]


def highest_risk(levels: Iterable[str]) -> str:
    levels = [level for level in levels if level in RISK_ORDER]
    return max(levels, key=RISK_ORDER.index) if levels else "none"


# A unit is a dict: dimension key -> category code, or a list of codes for
# multi-valued dimensions. It holds no identifier and no exact date.
Unit = dict


# --- Tables --------------------------------------------------------------------------------


@dataclass
class Table:
    """Counts by one or two dimensions, with totals. `cells[r][c]`; a 1-D
    table has one column."""

    row_codes: list[str]
    column_codes: list[str]
    cells: list[list[int]]
    row_totals: list[int]
    column_totals: list[int]
    total: int
    # False when a unit may count in several categories: totals then count
    # each unit once and the cells do not add up to them.
    additive: bool = True


def _codes(unit: Unit, key: str) -> list[str]:
    value = unit.get(key)
    if value is None:
        return [UNKNOWN]
    if isinstance(value, list | tuple | set):
        return list(value) or [UNKNOWN]
    return [value]


def _ordered(dimension: Dimension, seen: Iterable[str]) -> list[str]:
    seen = set(seen)
    fixed = [code for code, _label in dimension.categories()] if dimension.categories else []
    extra = sorted(code for code in seen if code not in fixed and code not in (OTHER, UNKNOWN))
    tail = [code for code in (OTHER, UNKNOWN) if code in seen]
    return fixed + extra + tail


def _merge_rare(units: list[Unit], key: str, k: int) -> list[Unit]:
    counts = Counter(code for unit in units for code in set(_codes(unit, key)))
    rare = {code for code, n in counts.items() if n < k and code not in (OTHER, UNKNOWN)}
    if not rare:
        return units
    merged = []
    for unit in units:
        codes = sorted({OTHER if code in rare else code for code in _codes(unit, key)})
        merged.append({**unit, key: codes})
    return merged


def tabulate(units: list[Unit], rows: str, columns: str | None, *, k: int) -> Table:
    """Count units by one or two dimensions. Totals count each unit once."""
    row_dim = DIMENSIONS[rows]
    column_dim = DIMENSIONS[columns] if columns else None
    for dimension in (row_dim, column_dim):
        if dimension is not None and dimension.merge_rare:
            units = _merge_rare(units, dimension.key, k)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    row_counts: dict[str, int] = defaultdict(int)
    column_counts: dict[str, int] = defaultdict(int)
    for unit in units:
        row_codes = set(_codes(unit, rows))
        column_codes = set(_codes(unit, columns)) if columns else {""}
        for row in row_codes:
            row_counts[row] += 1
            for column in column_codes:
                counts[(row, column)] += 1
        for column in column_codes:
            column_counts[column] += 1
    row_codes = _ordered(row_dim, row_counts)
    column_codes = _ordered(column_dim, column_counts) if column_dim else [""]
    return Table(
        row_codes=row_codes,
        column_codes=column_codes,
        cells=[[counts.get((r, c), 0) for c in column_codes] for r in row_codes],
        row_totals=[row_counts.get(r, 0) for r in row_codes],
        column_totals=[column_counts.get(c, 0) for c in column_codes],
        total=len(units),
        additive=not (row_dim.multi or (column_dim is not None and column_dim.multi)),
    )


# --- Suppression ---------------------------------------------------------------------------

Position = tuple[int, int]


def _grid(table: Table) -> tuple[dict[Position, int], list[list[Position]]]:
    """All figures of the table as one grid, and its lines.

    Inner cells are (r, c); the row totals are column C, the column totals row
    R, the grand total (R, C). Each line is its positions with the total last:
    inner cells of a line add up to its total (in an additive table)."""
    rows, columns = len(table.row_codes), len(table.column_codes)
    values: dict[Position, int] = {}
    for r in range(rows):
        for c in range(columns):
            values[(r, c)] = table.cells[r][c]
    lines: list[list[Position]] = []
    if columns == 1:
        # One dimension: the cells are the row totals; one line down to the total.
        values[(rows, 0)] = table.total
        lines.append([(r, 0) for r in range(rows)] + [(rows, 0)])
        return values, lines
    for r in range(rows):
        values[(r, columns)] = table.row_totals[r]
    for c in range(columns):
        values[(rows, c)] = table.column_totals[c]
    values[(rows, columns)] = table.total
    for r in range(rows + 1):
        lines.append([(r, c) for c in range(columns)] + [(r, columns)])
    for c in range(columns + 1):
        lines.append([(r, c) for r in range(rows)] + [(rows, c)])
    return values, lines


def recoverable_cells(
    values: dict[Position, int], lines: list[list[Position]], hidden: set[Position]
) -> set[Position]:
    """The hidden positions whose value follows exactly from the published ones
    by adding and subtracting lines.

    Each line gives an equation sum(inner) - total = 0. Moving the published
    figures to the right-hand side leaves a system in the hidden cells; a
    hidden cell is recoverable exactly when its unit vector lies in the row
    space of that system, i.e. its pivot row in reduced row echelon form has
    no other non-zero entry."""
    unknowns = sorted(hidden)
    index = {position: i for i, position in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for line in lines:
        row = [Fraction(0)] * len(unknowns)
        for position in line[:-1]:
            if position in index:
                row[index[position]] += 1
        if line[-1] in index:
            row[index[line[-1]]] -= 1
        if any(row):
            matrix.append(row)
    pivots = _reduce(matrix, len(unknowns))
    found = set()
    for row_number, column in pivots:
        row = matrix[row_number]
        if all(value == 0 for i, value in enumerate(row) if i != column):
            found.add(unknowns[column])
    return found


def _reduce(matrix: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Reduced row echelon form in place; returns (row, pivot column) pairs."""
    pivots = []
    lead = 0
    for column in range(width):
        pivot = next((r for r in range(lead, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[lead], matrix[pivot] = matrix[pivot], matrix[lead]
        factor = matrix[lead][column]
        matrix[lead] = [value / factor for value in matrix[lead]]
        for r in range(len(matrix)):
            if r != lead and matrix[r][column] != 0:
                times = matrix[r][column]
                matrix[r] = [a - times * b for a, b in zip(matrix[r], matrix[lead], strict=True)]
        pivots.append((lead, column))
        lead += 1
        if lead == len(matrix):
            break
    return pivots


def pinned_cells(table: Table, values: dict[Position, int], hidden: set[Position]) -> set[Position]:
    """The hidden positions that have only one possible value, given everything
    published and that a hidden figure is at least 1 (zeros are shown).

    Stronger than `recoverable_cells`: it also catches a cell that no sum gives
    exactly but whose only alternatives would make another hidden cell 0.

    With y = s * x (s = -1 on the row and column totals, +1 on inner cells and
    the grand total) every line says "the y of its positions sum to a
    constant", so a change that keeps all published figures is a circulation
    on the bipartite graph rows x columns whose edges are the hidden positions.
    x_e can move by one exactly when an alternating cycle through e exists in
    which every other position has room to move the needed way (a position
    can only go towards 0 if it is at least 2). In a one-dimensional table the
    rows have no equation and act as one free node.
    """
    one_dimension = len(table.column_codes) == 1
    rows, columns = len(table.row_codes), len(table.column_codes)
    free = ("free",)

    def ends(p: Position):
        r, c = p
        if one_dimension:
            return free, ("col", 0)
        return ("row", r), ("col", c)

    def sign(p: Position) -> int:
        r, c = p
        if one_dimension:
            return -1 if r == rows else 1
        return (-1 if c == columns else 1) * (-1 if r == rows else 1)

    def can_up(p):  # y may grow by one
        return sign(p) == 1 or values[p] >= 2

    def can_down(p):  # y may shrink by one
        return sign(p) == -1 or values[p] >= 2

    def reachable(start, goal, without: Position) -> bool:
        arcs = defaultdict(list)
        for f in hidden:
            if f == without:
                continue
            row_end, column_end = ends(f)
            if can_up(f):
                arcs[row_end].append(column_end)
            if can_down(f):
                arcs[column_end].append(row_end)
        seen, stack = {start}, [start]
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            for nxt in arcs[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return False

    pinned = set()
    for e in hidden:
        row_end, column_end = ends(e)
        up = can_up(e) and reachable(column_end, row_end, e)
        down = can_down(e) and reachable(row_end, column_end, e)
        if not (up or down):
            pinned.add(e)
    return pinned


def _smallest(values: dict[Position, int], candidates: Iterable[Position], hidden: set[Position]):
    open_ = [p for p in candidates if p not in hidden and values[p] > 0]
    return min(open_, key=lambda p: (values[p], p)) if open_ else None


def _with_room(values, candidates, hidden):
    """The smallest candidate of at least 2 (one that can give way), else any."""
    roomy = [p for p in candidates if values[p] >= 2]
    return _smallest(values, roomy, hidden) or _smallest(values, candidates, hidden)


def suppress(table: Table, k: int) -> set[Position]:
    """The positions (inner cells and totals, see `_grid`) to withhold."""
    values, lines = _grid(table)
    hidden = {p for p, value in values.items() if 0 < value < k}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for p in line if p in hidden) != 1:
                continue
            extra = _smallest(values, line[:-1], hidden) or _smallest(values, line[-1:], hidden)
            if extra is not None:
                hidden.add(extra)
                changed = True
        if changed:
            continue
        exposed = sorted(pinned_cells(table, values, hidden))
        if not exposed:
            break
        target = exposed[0]
        neighbours = [p for line in lines if target in line for p in line]
        extra = _with_room(values, neighbours, hidden) or _with_room(values, list(values), hidden)
        if extra is None:
            break  # every non-zero figure is withheld already
        hidden.add(extra)
        changed = True
    return hidden


def published(table: Table, k: int) -> dict:
    """The table as stored and shown: category codes, and counts with every
    withheld figure as None (the true value is not kept anywhere)."""
    hidden = suppress(table, k)
    rows, columns = len(table.row_codes), len(table.column_codes)

    def shown(position: Position, value: int):
        return None if position in hidden else value

    one_dimension = columns == 1
    cells = [[shown((r, c), table.cells[r][c]) for c in range(columns)] for r in range(rows)]
    if one_dimension:
        row_totals = [row[0] for row in cells]
        column_totals = [shown((rows, 0), table.total)]
    else:
        row_totals = [shown((r, columns), table.row_totals[r]) for r in range(rows)]
        column_totals = [shown((rows, c), table.column_totals[c]) for c in range(columns)]
    total = shown((rows, columns if not one_dimension else 0), table.total)
    return {
        "row_codes": table.row_codes,
        "column_codes": table.column_codes if not one_dimension else [],
        "cells": cells,
        "row_totals": row_totals,
        "column_totals": column_totals if not one_dimension else [],
        "total": total,
        "additive": table.additive,
        "suppressed": len(hidden),
    }
