"""An attacker who holds every released table and knows who is behind each
figure only through the figures themselves. Written apart from the auditor
(policy_monitor/statistics/auditor.py) so that the tests do not grade the
auditor with its own model: the same LP, built another way, with HiGHS's
incremental interface.

Knowledge: an int figure is exact, "<k" is 1..k-1, "x" (or None) is k or more.
`cells(definition)` gives the truth: (unit, row codes, column codes).
"""

from __future__ import annotations

import math
from collections import defaultdict

import highspy

TOTAL = "_total"
OTHER = "_other"


def _figures(release: dict):
    """(figure name, printed value) of every figure of a released table."""
    table = release["figures"]
    if not table["column_codes"]:
        for code, value in zip(table["row_codes"], table["row_totals"], strict=True):
            yield (code, ""), value
        yield (TOTAL, ""), table["total"]
        return
    for r, row in enumerate(table["row_codes"]):
        for c, column in enumerate(table["column_codes"]):
            yield (row, column), table["cells"][r][c]
        yield (row, TOTAL), table["row_totals"][r]
    for c, column in enumerate(table["column_codes"]):
        yield (TOTAL, column), table["column_totals"][c]
    yield (TOTAL, TOTAL), table["total"]


def _membership(release: dict, rows: tuple, columns: tuple) -> set:
    table = release["figures"]

    def fold(codes, known):
        return {c if c in known else OTHER for c in codes} & set(known)

    row_set = fold(rows, table["row_codes"])
    if not table["column_codes"]:
        return {(r, "") for r in row_set} | {(TOTAL, "")}
    column_set = fold(columns, table["column_codes"])
    names = {(r, c) for r in row_set for c in column_set}
    names |= {(r, TOTAL) for r in row_set} | {(TOTAL, c) for c in column_set}
    return names | {(TOTAL, TOTAL)}


class Attacker:
    def __init__(self, releases: list[dict], cells):
        self.releases = releases
        members = defaultdict(set)  # (release index, name) -> units
        self.k_of_unit = defaultdict(int)
        for index, release in enumerate(releases):
            for unit, rows, columns in cells(release["definition"]):
                for name in _membership(release, rows, columns):
                    members[(index, name)].add(unit)
                self.k_of_unit[unit] = max(self.k_of_unit[unit], release["definition"]["k"])
        signature = defaultdict(set)
        for figure, units in members.items():
            for unit in units:
                signature[unit].add(figure)
        by_signature = defaultdict(set)
        for unit, figures in signature.items():
            by_signature[frozenset(figures)].add(unit)
        self.atoms = [frozenset(units) for units in by_signature.values()]
        self.atom_of = {u: i for i, units in enumerate(self.atoms) for u in units}
        self.solver = highspy.Highs()
        self.solver.setOptionValue("output_flag", False)
        for _atom in self.atoms:
            self.solver.addVar(0.0, highspy.kHighsInf)
        self.figures = []  # (units, printed value, k)
        for index, release in enumerate(releases):
            k = release["definition"]["k"]
            for name, value in _figures(release):
                units = members.get((index, name), set())
                self.figures.append((frozenset(units), value, k))
                atoms = sorted({self.atom_of[u] for u in units})
                if isinstance(value, int):
                    low, high = value, value
                elif isinstance(value, str) and value.startswith("<"):
                    low, high = 1, k - 1
                else:
                    low, high = k, highspy.kHighsInf
                if not atoms:
                    assert low <= 0, (name, value)
                    continue
                self.solver.addRow(low, high, len(atoms), atoms, [1.0] * len(atoms))

    def bounds(self, units: frozenset) -> tuple[int, float]:
        """The integer range the attacker can narrow this group's size to."""
        atoms = sorted({self.atom_of[u] for u in units})
        assert {u for a in atoms for u in self.atoms[a]} == set(units), "not a union of atoms"
        result = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            for column in range(len(self.atoms)):
                self.solver.changeColCost(column, 1.0 if column in atoms else 0.0)
            self.solver.changeObjectiveSense(sense)
            self.solver.run()
            status = self.solver.getModelStatus()
            if status == highspy.HighsModelStatus.kOptimal:
                result.append(self.solver.getInfo().objective_function_value)
            else:
                assert sense == highspy.ObjSense.kMaximize, status
                result.append(math.inf)
        low, high = result
        return math.ceil(low - 1e-6), (high if math.isinf(high) else math.floor(high + 1e-6))

    def exposed(self) -> list:
        """Small groups the attacker isolates: an atom of 1..k-1 units bounded
        away from 0 and from k, or a "<k" figure pinned to one value."""
        found = []
        small_sets = {units for units, value, _k in self.figures if _small(value)}
        for units in self.atoms:
            k = max(self.k_of_unit[u] for u in units)
            if 1 <= len(units) < k and units not in small_sets:
                low, high = self.bounds(units)
                if low >= 1 and high < k:
                    found.append(("atom", sorted(units), low, high))
        for units, value, _k in self.figures:
            if _small(value):
                low, high = self.bounds(units)
                if low == high:
                    found.append(("figure", sorted(units), low, high))
        return found

    def pinned_withheld(self) -> list:
        """Withheld figures ("<k" or "x") the attacker can compute exactly."""
        pinned = []
        for units, value, _k in self.figures:
            if not isinstance(value, int) and units:
                low, high = self.bounds(units)
                if low == high:
                    pinned.append((sorted(units), value, low))
        return pinned


def _small(value) -> bool:
    return isinstance(value, str) and value.startswith("<")
