"""The auditor: what an attacker holding every table ever released can learn.

A table on its own is protected by `suppression`. Two tables can still be
subtracted from each other: January-June minus January-May is June, and a
withheld cell of the first comes back. The auditor looks at all released
tables of one count (women, cases, sessions, calls) together with the tables
about to be released, as one linear programme solved with HiGHS.

The model. Every unit (a woman, a case, a session, a call) belongs to some of
the released figures: a cell, a row total, a column total, the grand total
of each release. Units that belong to exactly the same figures form an atom;
the attacker does not know the atom counts n_a >= 0, only what was printed:
an integer figure is the sum of its atoms, "<k" lies between 1 and k-1, "x"
is at least k (each release with its own k).

Unsafe, for the policy officer: an atom holding 1 to k-1 units whose count
the attacker can bound away from both 0 and k-or-more (she then knows a
small group exists exactly there, although no "<k" figure states it), or a
"<k" figure the attacker can pin to one value. Bounds are those of the LP
relaxation rounded inward (ceil of the minimum, floor of the maximum); the
integer attacker can only know more in rare cases, never less.

Only what the candidate newly makes unsafe counts: a weakness already in the
ledger alone cannot be undone by withholding more of a new table.

Who belongs to which figure is recounted from the current case files with
`unit_cells(definition, measure)` (services, through counting.unit_cells). A
figure whose records changed since it was released (a late session, a
withdrawn consent) no longer matches the current count; it is left out of the
model, which is then weaker than the attacker's in that corner (see the README).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import highspy
import numpy as np

from policy_monitor.statistics.suppression import TOTAL, WITHHELD, Key, protect_dataset
from policy_monitor.statistics.tabulation import OTHER, Table, _codes

FigureId = tuple[str, Key]  # (release name, position key)
UnitCells = Callable[[dict, str], Iterable[tuple[str, tuple, tuple]]]
EPSILON = 1e-6
CANDIDATE = "candidate"
# The progress stage of the check (ngo.lib.progress.Stage.CHECKING).
CHECKING_STAGE = "checking"
# Why tables were refused (the values of models.Refusal).
UNSAFE, ALL_WITHHELD = "unsafe", "all_withheld"


class ReleaseRefused(Exception):
    def __init__(self, refusal: str):
        super().__init__(refusal)
        self.refusal = refusal


def definition_of(dataset, table: dict, branch_ids: list[int] | None = None) -> dict:
    """What a released table describes, as stored in the ledger."""
    if branch_ids is None:
        branch_ids = sorted(branch.pk for branch in dataset.branches.all())
    return {
        "period_from": dataset.period_from.isoformat(),
        "period_to": dataset.period_to.isoformat(),
        "period_basis": dataset.period_basis,
        "branch_ids": list(branch_ids),
        "dimensions": list(dataset.dimensions),
        "k": dataset.min_cell_size,
        "row_codes": list(table["row_codes"]),
        "column_codes": list(table["column_codes"]),
    }


def cells_of_units(units: Iterable[dict], dimensions: list[str]) -> Iterator[tuple]:
    """(unit key, row codes, column codes) of units already counted."""
    rows = dimensions[0]
    columns = dimensions[1] if len(dimensions) > 1 else None
    for unit in units:
        yield (
            unit["_key"],
            tuple(_codes(unit, rows)),
            tuple(_codes(unit, columns)) if columns else ("",),
        )


@dataclass
class Released:
    """One table as the attacker sees it: its definition and printed figures."""

    name: str
    definition: dict
    figures: dict

    @property
    def k(self) -> int:
        return int(self.definition["k"])

    def values(self) -> dict[Key, object]:
        """Every printed figure by its position key."""
        table = self.figures
        result: dict[Key, object] = {}
        if not table["column_codes"]:
            for code, value in zip(table["row_codes"], table["row_totals"], strict=True):
                result[(code, "")] = value
            result[(TOTAL, "")] = table["total"]
            return result
        for r, code in enumerate(table["row_codes"]):
            for c, column in enumerate(table["column_codes"]):
                result[(code, column)] = table["cells"][r][c]
            result[(code, TOTAL)] = table["row_totals"][r]
        for c, column in enumerate(table["column_codes"]):
            result[(TOTAL, column)] = table["column_totals"][c]
        result[(TOTAL, TOTAL)] = table["total"]
        return result

    def keys_of(self, row_codes: tuple, column_codes: tuple) -> set[Key]:
        """The figures a unit with these codes counts in."""
        rows = self._mapped(row_codes, self.figures["row_codes"])
        if not self.figures["column_codes"]:
            return {(r, "") for r in rows} | {(TOTAL, "")}
        columns = self._mapped(column_codes, self.figures["column_codes"])
        keys = {(r, c) for r in rows for c in columns}
        keys |= {(r, TOTAL) for r in rows} | {(TOTAL, c) for c in columns}
        keys.add((TOTAL, TOTAL))
        return keys

    @staticmethod
    def _mapped(codes: tuple, known: list) -> set[str]:
        # A code not among the release's own went to "Other" (rare categories).
        mapped = {code if code in known else OTHER for code in codes}
        return {code for code in mapped if code in known}


def bounds_of(value, k: int) -> tuple[float, float]:
    """What a printed figure tells: an int exactly, "<k" 1..k-1, anything else
    ("x", or None stored before the two marks) at least k."""
    if isinstance(value, int):
        return value, value
    if isinstance(value, str) and value.startswith("<"):
        return 1, k - 1
    return k, math.inf


def is_small_mark(value) -> bool:
    return isinstance(value, str) and value.startswith("<")


@dataclass
class Finding:
    """Something an attacker would learn: a small atom bounded away from 0 and
    k, or a "<k" figure pinned to one value."""

    kind: str  # "atom" or "figure"
    units: frozenset
    low: int
    high: int
    figure: FigureId | None = None

    @property
    def identity(self):
        return (self.kind, self.figure if self.figure else self.units)


@dataclass
class Model:
    """The atoms of a set of releases and the attacker's constraints on them."""

    releases: list[Released]
    memberships: dict[str, list[tuple[str, tuple, tuple]]]
    atoms: list[frozenset] = field(default_factory=list)  # unit keys of each atom
    atom_figures: list[set[FigureId]] = field(default_factory=list)
    atom_k: list[int] = field(default_factory=list)
    atom_size: list[int] = field(default_factory=list)  # units in each atom

    def build(self) -> Model:
        # A member is (unit, row codes, column codes) or, for a candidate counted
        # as weighted groups (nothing yet in the ledger), (group, rows, columns, units).
        signature: dict[str, set[FigureId]] = defaultdict(set)
        k_of: dict[str, int] = defaultdict(int)
        weight_of: dict[str, int] = {}
        for release in self.releases:
            for unit, rows, columns, *weight in self.memberships[release.name]:
                keys = release.keys_of(rows, columns)
                signature[unit] |= {(release.name, key) for key in keys}
                k_of[unit] = max(k_of[unit], release.k)
                weight_of[unit] = weight[0] if weight else 1
        grouped: dict[frozenset, set[str]] = defaultdict(set)
        for unit, figures in signature.items():
            grouped[frozenset(figures)].add(unit)
        for figures, units in sorted(grouped.items(), key=lambda item: sorted(item[1])):
            self.atoms.append(frozenset(units))
            self.atom_figures.append(set(figures))
            self.atom_k.append(max(k_of[u] for u in units))
            self.atom_size.append(sum(weight_of[u] for u in units))
        return self

    def figures(self) -> dict[FigureId, tuple[list[int], float, float, object, int]]:
        """Each printed figure consistent with the current records: its atoms,
        its bounds, its printed value and its k."""
        members: dict[FigureId, list[int]] = defaultdict(list)
        for index, figures in enumerate(self.atom_figures):
            for figure in figures:
                members[figure].append(index)
        result = {}
        for release in self.releases:
            for key, value in release.values().items():
                figure = (release.name, key)
                atoms = members.get(figure, [])
                low, high = bounds_of(value, release.k)
                true = sum(self.atom_size[a] for a in atoms)
                if low <= true <= high:  # else the records changed since
                    result[figure] = (atoms, low, high, value, release.k)
        return result


def _solver(model: Model, figures: dict) -> highspy.Highs:
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    size = len(model.atoms)
    lp = highspy.HighsLp()
    lp.num_col_ = size
    lp.col_cost_ = np.zeros(size)
    lp.col_lower_ = np.zeros(size)
    lp.col_upper_ = np.full(size, highspy.kHighsInf)
    rows = [(atoms, low, high) for atoms, low, high, _value, _k in figures.values() if atoms]
    lp.num_row_ = len(rows)
    lp.row_lower_ = np.array([low for _a, low, _h in rows], dtype=float)
    lp.row_upper_ = np.array(
        [highspy.kHighsInf if math.isinf(high) else high for _a, _l, high in rows], dtype=float
    )
    columns: list[list[int]] = [[] for _ in range(size)]
    for row, (atoms, _low, _high) in enumerate(rows):
        for atom in atoms:
            columns[atom].append(row)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.cumsum([0] + [len(c) for c in columns]).astype(np.int32)
    lp.a_matrix_.index_ = np.array([r for c in columns for r in c], dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(sum(len(c) for c in columns))
    solver.passModel(lp)
    return solver


def _extreme(solver: highspy.Highs, size: int, atoms: list[int], sense) -> float:
    costs = np.zeros(size)
    costs[atoms] = 1.0
    solver.changeColsCost(size, np.arange(size, dtype=np.int32), costs)
    solver.changeObjectiveSense(sense)
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return solver.getInfo().objective_function_value
    if status in (
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return math.inf if sense == highspy.ObjSense.kMaximize else 0.0
    raise ValueError(f"the attacker's model has no solution ({status})")


def findings(model: Model) -> list[Finding]:
    """Everything unsafe in these releases taken together."""
    figures = model.figures()
    size = len(model.atoms)
    if not size:
        return []
    solver = _solver(model, figures)
    maximise, minimise = highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize
    small_sets = {
        frozenset(atoms): figure
        for figure, (atoms, _l, _h, value, _k) in figures.items()
        if is_small_mark(value)
    }
    found = []
    for index, units in enumerate(model.atoms):
        k = model.atom_k[index]
        if not 1 <= model.atom_size[index] <= k - 1 or frozenset([index]) in small_sets:
            continue
        top = _extreme(solver, size, [index], maximise)
        if top >= k - EPSILON:
            continue
        high = math.floor(top + EPSILON)
        low = math.ceil(_extreme(solver, size, [index], minimise) - EPSILON)
        if low >= 1:
            found.append(Finding("atom", units, low, high))
    for figure, (atoms, _low, _high, value, _k) in figures.items():
        if not is_small_mark(value):
            continue
        low = math.ceil(_extreme(solver, size, atoms, minimise) - EPSILON)
        top = _extreme(solver, size, atoms, maximise)
        if not math.isinf(top) and low == math.floor(top + EPSILON):
            high = low
            units = frozenset(u for a in atoms for u in model.atoms[a])
            found.append(Finding("figure", units, low, high, figure))
    return found


class Auditor:
    """The ledger of one count, ready to judge candidate tables against it."""

    def __init__(self, measure: str, ledger: list[Released], cells: UnitCells):
        self.measure = measure
        self.ledger = ledger
        self.cells = cells
        self.memberships = {r.name: self._members(r.definition) for r in ledger}
        self._known = {f.identity for f in findings(self._model(ledger))} if ledger else set()

    def _members(self, definition: dict) -> list:
        return list(self.cells(definition, self.measure))

    def _model(self, releases: list[Released]) -> Model:
        return Model(releases, self.memberships).build()

    def new_findings(self, candidate: Released, members: list | None = None) -> list[Finding]:
        """What the candidate newly makes unsafe, with everything in the ledger.
        `members`: its units' cells when already counted, else they are counted."""
        if members is not None:
            self.memberships[candidate.name] = members
        elif candidate.name not in self.memberships:
            self.memberships[candidate.name] = self._members(candidate.definition)
        found = findings(self._model([*self.ledger, candidate]))
        return [f for f in found if f.identity not in self._known]

    def to_withhold(self, candidate: Released, found: list[Finding]) -> set[Key]:
        """Printed figures of the candidate to withhold next: for each finding,
        the smallest non-zero one that counts any of its units."""
        published = {
            key: value
            for key, value in candidate.values().items()
            if isinstance(value, int) and value > 0
        }
        members: dict[Key, set[str]] = defaultdict(set)
        for unit, rows, columns, *_weight in self.memberships[candidate.name]:
            for key in candidate.keys_of(rows, columns):
                members[key].add(unit)
        chosen: set[Key] = set()
        for finding in found:
            touching = [k for k in published if members[k] & finding.units and k not in chosen]
            pool = touching or [k for k in published if k not in chosen]
            if pool:
                chosen.add(min(pool, key=lambda k: (published[k], k)))
        return chosen


def is_withheld(value) -> bool:
    return value is None or value == WITHHELD or is_small_mark(value)


def _any_published(tables: dict[str, dict]) -> bool:
    return any(
        isinstance(value, int) and value > 0
        for table in tables.values()
        for value in Released(CANDIDATE, {"k": 0}, table).values().values()
    )


def audit_tables(
    raw: dict[str, Table],
    k: int,
    *,
    auditors: dict[str, Auditor],
    members: dict[str, list],
    definition: Callable[[dict], dict],
) -> dict[str, dict]:
    """One dataset's tables protected together (suppression.protect_dataset),
    then withheld further while the auditor of any count finds something newly
    unsafe. Raises ReleaseRefused when withholding more cannot help, or when
    it would leave no figure published."""
    tables = protect_dataset(raw, k)
    forced: dict[str, set] = {}
    while True:
        more: dict[str, set] = {}
        for measure, table in tables.items():
            if measure not in auditors:
                continue
            candidate = Released(CANDIDATE, definition(table), table)
            found = auditors[measure].new_findings(candidate, members[measure])
            if not found:
                continue
            extra = auditors[measure].to_withhold(candidate, found)
            if not extra:
                raise ReleaseRefused(UNSAFE)
            more[measure] = extra
        if not more:
            return tables
        for measure, extra in more.items():
            forced.setdefault(measure, set()).update(extra)
        tables = protect_dataset(raw, k, forced=forced)
        if not _any_published(tables):
            raise ReleaseRefused(ALL_WITHHELD)
