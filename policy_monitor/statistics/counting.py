"""Counting shadow-report datasets in SQL.

Each measure is one query: the database builds one row per unit (a woman, a
case, a session, a referral, a stay, a hotline call) holding only the SQL
expressions of the dataset's one or two dimensions, and groups them
(`SELECT d0, d1, COUNT(*) ... GROUP BY d0, d1`; bed-nights and accompanying
children are a SUM). Python receives one weighted "signature" per distinct
combination of values and expands it into the cells and totals exactly: a
unit whose case types are [a, b] counts once in row a, once in row b and once
in the total. Python work grows with the number of distinct signatures, not
with the number of women.

Who is counted is the rule the case files give: a woman is counted when her
newest decision for the "statistics" consent purpose is a yes at generation
time; the others are left out with everything of theirs (cases, sessions,
referrals, stays), only their number is kept. Cases are those of the chosen
branches opened in the period, or (period basis "served") opened or served
with a session in it. A case's reference date is its opening if in the
period, else its first session in the period; a woman is described by her
first case (by reference date), with the union of the case types, services
and incidents of all her cases and her highest risk level.

The residence status is an encrypted column and is never decrypted here: the
query groups by its keyed blind index (`Client.residence_status_index`) and
each known hash is mapped back to its code by computing `residence_index_of`
for every residence status (the empty status is "not recorded").

Rare categories of open vocabularies (nationality; the language of a call)
are merged into "Other" once per dataset, from the women counts (the calls
counts for the language of a call), and every table of the dataset shares
the same row and column categories.

`unit_cells(definition, measure)` streams, for one release definition (an
object with `period_from`, `period_to`, `period_basis`, `branch_ids` - a
list, empty for every branch - and `dimensions`, one or two keys), each
unit's raw category codes before any merge into "Other":
`(unit_key, row_codes_tuple, column_codes_tuple)`, where unit_key is a
hashable such as ("case", 42). It is meant for the disclosure checks, in
memory only: nothing of it is ever stored.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F

from counselling.models import ResidenceStatus, residence_index_of
from ngo.accounts.models import Branch
from policy_monitor.statistics import tabulation
from policy_monitor.statistics.sql_units import (
    KINDS,
    RISK_ORDER,
    UNIT_NAMES,
    WOMEN,
    excluded,
    grouped,
    streamed,
    unit_queryset,
)
from policy_monitor.statistics.tabulation import DIMENSIONS, OTHER, UNKNOWN, Table

SEPARATOR = "|"  # as CodeSet joins the codes


@dataclass(frozen=True)
class Definition:
    """What to count: the period, the branches (empty: all) and the breakdown."""

    period_from: date
    period_to: date
    period_basis: str
    branch_ids: list[int]
    dimensions: list[str]
    min_cell_size: int = tabulation.DEFAULT_CELL_SIZE
    measures: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, dataset) -> Definition:
        return cls(
            period_from=dataset.period_from,
            period_to=dataset.period_to,
            period_basis=dataset.period_basis,
            branch_ids=list(dataset.branches.values_list("pk", flat=True)),
            dimensions=list(dataset.dimensions),
            min_cell_size=dataset.min_cell_size,
            measures=list(dataset.measures),
        )

    @classmethod
    def of_release(cls, definition: dict) -> Definition:
        """The definition of a released table as the ledger stores it."""
        return cls(
            period_from=date.fromisoformat(str(definition["period_from"])),
            period_to=date.fromisoformat(str(definition["period_to"])),
            period_basis=definition["period_basis"],
            branch_ids=list(definition.get("branch_ids") or []),
            dimensions=list(definition["dimensions"]),
            min_cell_size=int(definition.get("k", tabulation.DEFAULT_CELL_SIZE)),
        )


@dataclass
class Counted:
    tables: dict[str, Table]
    counted: int
    excluded: int
    # Per count, the weighted groups behind its table, after the merges:
    # (row codes, column codes, units).
    signatures: dict[str, list] = field(default_factory=dict)


# --- From SQL values to category codes -------------------------------------------------------


def _decoder(key: str, *, women: bool, branches: dict) -> Callable[[object], list[str]]:
    """SQL value -> the unit's raw category codes (a list; empty: not recorded)."""
    dimension = DIMENSIONS[key]
    if key == "year":
        return lambda v: [] if v is None else [str(int(v))]
    if key == "quarter":
        return lambda v: [] if v is None else [f"Q{int(v)}"]
    if key == "branch":
        return lambda v: [branches[v]] if v in branches else []
    if key == "residence_status":
        statuses = {residence_index_of(code): code for code in ResidenceStatus.values if code}
        return lambda v: [statuses[v]] if v in statuses else []
    if key == "age_band":
        return lambda v: [tabulation.age_band(None if v is None else int(v))]
    if key == "has_children":
        return lambda v: ["yes" if v else "no"]
    if key == "risk_level" and women:
        return lambda v: [RISK_ORDER[int(v)] if v is not None else "none"]
    if not dimension.multi:
        return lambda v: [str(v)] if v else []
    return _codes_of_many


def _codes_of_many(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        if value.startswith("["):
            value = json.loads(value)
        else:
            return value.split(SEPARATOR)
    return sorted({str(code) for code in value})


def _branch_codes() -> dict[int, str]:
    return dict(Branch.objects.values_list("pk", "code"))


def _signatures(
    definition, measure: str, keys: list[str], branches: dict
) -> list[tuple[list, list, int]]:
    """(row codes, column codes, weight) per distinct combination, raw codes."""
    kind = KINDS[measure]
    queryset, aliases = unit_queryset(definition, kind, keys)
    decoders = [_decoder(key, women=kind.women, branches=branches) for key in keys]
    signatures = []
    for row in grouped(queryset, aliases, "w_" if kind.weight else None):
        *values, weight = row
        codes = [decode(value) for decode, value in zip(decoders, values, strict=True)]
        while len(codes) < 2:
            codes.append([""])
        signatures.append((codes[0], codes[1], int(weight or 0)))
    return signatures


def unit_cells(definition, measure: str) -> Iterator[tuple[tuple, tuple, tuple]]:
    """Each unit's raw row and column codes, streamed (see the module docstring)."""
    kind = KINDS[measure]
    keys = list(definition.dimensions)
    queryset, aliases = unit_queryset(definition, kind, keys)
    # A woman is counted through the case that stands for her: her key is her own.
    queryset = queryset.annotate(k_=F("client_id") if kind.women else F("pk"))
    branches = _branch_codes()
    decoders = [_decoder(key, women=kind.women, branches=branches) for key in keys]
    unit = UNIT_NAMES[measure]
    for pk, *values in streamed(queryset, ["k_", *aliases]):
        codes = [
            tuple(decode(value) or [UNKNOWN])
            for decode, value in zip(decoders, values, strict=True)
        ]
        if len(codes) < 2:
            codes.append(("",))
        yield (unit, pk), codes[0], codes[1]


# --- Tables ----------------------------------------------------------------------------------


def _rare(source, tables, axis: int, k: int) -> set[str]:
    """Codes with fewer than k units of the source (the women) - a code seen
    only in another table (a referral of a woman not counted in the period)
    has none."""
    counts = Counter()
    for signature in source:
        for code in set(signature[axis] or [UNKNOWN]):
            counts[code] += signature[2]
    seen = {code for signatures in tables for s in signatures for code in s[axis]} | set(counts)
    return {code for code in seen if counts[code] < k and code not in (OTHER, UNKNOWN)}


def _merge(codes: list[str], rare: set[str]) -> list[str]:
    codes = codes or [UNKNOWN]
    return sorted({OTHER if code in rare else code for code in codes})


def count_dataset(dataset, *, on_progress: Callable[[int], None] | None = None) -> Counted:
    """Every table of the dataset, before suppression, with one set of categories.
    `on_progress(percent)` is called from 0 to 100, between measures."""
    return count_definition(Definition.of(dataset), on_progress=on_progress)


def count_definition(
    definition: Definition, *, on_progress: Callable[[int], None] | None = None
) -> Counted:
    keys = list(definition.dimensions)
    measures = list(definition.measures)
    progress = on_progress or (lambda percent: None)
    progress(0)
    steps = len(measures) + 1
    calls_only = measures == ["calls"]
    # The women are always counted (the number counted is kept with the dataset).
    branches = _branch_codes() if "branch" in keys else {}
    women = _signatures(definition, WOMEN, [] if calls_only else keys, branches)
    progress(100 // steps)
    raw: dict[str, list] = {}
    for n, measure in enumerate(measures, start=2):
        raw[measure] = (
            women if measure == WOMEN else _signatures(definition, measure, keys, branches)
        )
        progress(100 * n // steps)
    # One decision per dataset: from the women, or from the calls for a call dimension.
    source = raw["calls"] if calls_only else women
    rare = [
        _rare(source, raw.values(), axis, definition.min_cell_size)
        if axis < len(keys) and DIMENSIONS[keys[axis]].merge_rare
        else set()
        for axis in (0, 1)
    ]
    merged = {
        measure: [(_merge(r, rare[0]), _merge(c, rare[1]), w) for r, c, w in signatures]
        for measure, signatures in raw.items()
    }
    row_dim = DIMENSIONS[keys[0]]
    column_dim = DIMENSIONS[keys[1]] if len(keys) > 1 else None
    seen_rows = {code for sigs in merged.values() for r, _c, _w in sigs for code in r}
    seen_columns = {code for sigs in merged.values() for _r, c, _w in sigs for code in c}
    row_codes = tabulation.ordered_codes(row_dim, seen_rows)
    column_codes = tabulation.ordered_codes(column_dim, seen_columns) if column_dim else [""]
    tables = {
        measure: tabulation.table_of(
            signatures, row_dim, column_dim, row_codes=row_codes, column_codes=column_codes
        )
        for measure, signatures in merged.items()
    }
    counted = sum(weight for _r, _c, weight in women)
    return Counted(tables=tables, counted=counted, excluded=excluded(definition), signatures=merged)
