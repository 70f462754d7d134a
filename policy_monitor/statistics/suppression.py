"""Small-cell suppression of shadow-report tables.

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

Two marks are published for a withheld figure, and the exact check knows what
they tell: "<k" is a count from 1 to k-1 (primary suppression), "x" a figure
withheld to protect another, whose true value is k or more. A mark never
states anything false, and an attacker can use both.

All tables of one dataset share their row and column codes, so a figure
withheld in one is withheld in all (`protect_dataset`): otherwise the women
table would hide a cell that the sessions table of the same dataset prints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from fractions import Fraction

from policy_monitor.statistics.tabulation import Table

Position = tuple[int, int]

# Withheld to protect another figure: its true value is k or more.
WITHHELD = "x"


def small_mark(k: int) -> str:
    """The mark of a count from 1 to k-1."""
    return f"<{k}"


def mark(value: int, k: int) -> str:
    """How a withheld figure is published."""
    return small_mark(k) if 0 < value < k else WITHHELD


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
    if table.one_dimensional:
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


def pinned_cells(
    table: Table, values: dict[Position, int], hidden: set[Position], *, k: int | None = None
) -> set[Position]:
    """The hidden positions that have only one possible value, given everything
    published and that a hidden figure is at least 1 (zeros are shown). With
    `k`, also what the marks say: a "<k" figure is at most k-1, an "x" figure
    at least k.

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
    one_dimension = table.one_dimensional
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

    def low(p) -> int:
        return k if k is not None and values[p] >= k else 1

    def high(p) -> float:
        return k - 1 if k is not None and values[p] < k else float("inf")

    def can_up(p):  # y may grow by one
        return values[p] < high(p) if sign(p) == 1 else values[p] > low(p)

    def can_down(p):  # y may shrink by one
        return values[p] > low(p) if sign(p) == 1 else values[p] < high(p)

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


def _with_room(values, candidates, hidden, k):
    """The smallest candidate that can give way once withheld (above k, the
    least an "x" can be), else any."""
    roomy = [p for p in candidates if values[p] >= k + 1]
    return _smallest(values, roomy, hidden) or _smallest(values, candidates, hidden)


def suppress(table: Table, k: int, *, forced: Iterable[Position] = ()) -> set[Position]:
    """The positions (inner cells and totals, see `_grid`) to withhold; `forced`
    ones (withheld elsewhere in the dataset, or by the auditor) are withheld
    too, unless they are zeros (shown: a mark would claim a count)."""
    values, lines = _grid(table)
    hidden = {p for p, value in values.items() if 0 < value < k}
    hidden |= {p for p in forced if values.get(p, 0) > 0}
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
        exposed = sorted(pinned_cells(table, values, hidden, k=k))
        if not exposed:
            break
        target = exposed[0]
        neighbours = [p for line in lines if target in line for p in line]
        extra = _with_room(values, neighbours, hidden, k) or _with_room(
            values, list(values), hidden, k
        )
        if extra is None:
            break  # every non-zero figure is withheld already
        hidden.add(extra)
        changed = True
    return hidden


def published(table: Table, k: int, *, hidden: set[Position] | None = None) -> dict:
    """The table as stored and shown: category codes, and counts with every
    withheld figure as its mark, "<k" or "x" (the true value is not kept)."""
    if hidden is None:
        hidden = suppress(table, k)
    rows, columns = len(table.row_codes), len(table.column_codes)

    def shown(position: Position, value: int):
        return mark(value, k) if position in hidden else value

    one_dimension = table.one_dimensional
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


# --- One dataset: shared withheld cells --------------------------------------------------

# A position named by its codes, the same in every table of a dataset: (row
# code, column code), with TOTAL for the totals line.
TOTAL = "_total"
Key = tuple[str, str]


def _keys(table: Table) -> dict[Position, Key]:
    rows, columns = len(table.row_codes), len(table.column_codes)
    keys: dict[Position, Key] = {}
    row_names = [*table.row_codes, TOTAL]
    if table.one_dimensional:
        for r in range(rows + 1):
            keys[(r, 0)] = (row_names[r], "")
        return keys
    column_names = [*table.column_codes, TOTAL]
    for r in range(rows + 1):
        for c in range(columns + 1):
            keys[(r, c)] = (row_names[r], column_names[c])
    return keys


def protect_dataset(
    tables: dict[str, Table], k: int, *, forced: dict[str, set[Key]] | None = None
) -> dict[str, dict]:
    """Protect every table of one dataset together: a position withheld in any
    of them (primary, complementary or `forced` by the auditor for one table)
    is withheld in all, and complementary suppression with the exact check runs
    again on each, until nothing changes. Returns the published tables."""
    keys = {measure: _keys(table) for measure, table in tables.items()}
    shared: set[Key] = set()
    for extra in (forced or {}).values():
        shared |= set(extra)
    while True:
        hidden = {}
        for measure, table in tables.items():
            forced_here = [p for p, key in keys[measure].items() if key in shared]
            hidden[measure] = suppress(table, k, forced=forced_here)
        found = {keys[m][p] for m, positions in hidden.items() for p in positions}
        if found <= shared:
            break
        shared |= found
    return {
        measure: published(table, k, hidden=hidden[measure]) for measure, table in tables.items()
    }


def key_of(table: dict, position: Position) -> Key:
    """The code key of a position of a stored (published) table."""
    rows = len(table["row_codes"])
    row = table["row_codes"][position[0]] if position[0] < rows else TOTAL
    if not table["column_codes"]:
        return (row, "")
    columns = len(table["column_codes"])
    return (row, table["column_codes"][position[1]] if position[1] < columns else TOTAL)
