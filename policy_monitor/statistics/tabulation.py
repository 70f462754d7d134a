"""The tabulation engine of shadow-report datasets: the dimensions a dataset
can be broken down by, the units counted, and the tables of counts.

Pure Python, no database: `counting` counts in SQL and hands weighted
signatures to `table_of`, and `suppression` makes the tables publishable.

Open vocabularies (nationality) are coarsened before suppression: categories
with fewer than k women overall are merged into "other", so that a rare
nationality does not appear as its own row at all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ngo.lib.small_cells import DEFAULT_CELL_SIZE, MIN_CELL_SIZE  # noqa: F401 (re-exported)

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


def _incident_choices(name: str) -> Callable[[], list[tuple[str, str]]]:
    def load():
        from counselling.incidents import models

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


def _referral_kinds() -> list[tuple[str, str]]:
    from counselling.models.choices import REFERRAL_ORGANISATION_KINDS
    from ngo.directory.models import OrganisationKind

    labels = dict(OrganisationKind.choices)
    return [(kind, labels[kind]) for kind in REFERRAL_ORGANISATION_KINDS]


def _call_topics() -> list[tuple[str, str]]:
    from counselling.hotline.models import CallTopic

    return _choices(CallTopic)


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
        # From the incidents of her cases: a case with none is "not recorded".
        Dimension(
            "violence_type",
            _("Type of violence"),
            categories=_incident_choices("ViolenceType"),
            multi=True,
        ),
        Dimension(
            "perpetrator",
            _("Perpetrator relationship"),
            categories=_incident_choices("Perpetrator"),
            multi=True,
        ),
        Dimension("age_band", _("Age band"), categories=lambda: AGE_BANDS),
        Dimension("marital_status", _("Marital status"), categories=_lazy_choices("MaritalStatus")),
        Dimension("has_children", _("Has children"), categories=lambda: YES_NO),
        # Hotline calls (the "calls" measure only): see CALL_DIMENSIONS.
        Dimension("call_topic", _("Call topic"), categories=_call_topics, multi=True),
        Dimension("call_language", _("Language of the call"), merge_rare=True),
        # Referrals only: the kind of organisation she was referred to.
        Dimension("referral_destination", _("Referred to (kind of organisation)"), _referral_kinds),
    )
}
MAX_DIMENSIONS = 2


# A hotline call has no woman behind it: calls are counted by their own
# dimensions only, and the call dimensions count nothing else.
CALLS = "calls"
CALL_DIMENSIONS = ("year", "quarter", "branch", "call_topic", "call_language")
CALL_ONLY_DIMENSIONS = ("call_topic", "call_language")
# Referrals and shelter stays reach the woman through their case: her
# dimensions and her case's, the year and quarter of the referral or the
# admission, the branch of the case or of the shelter. Services delivered are
# sessions' and cases', and the destination is a referral's own.
REFERRALS = "referrals"
STAY_MEASURES = ("stays", "bed_nights", "children")
SERVICE_MEASURES = ("clients", "cases", "sessions")


def measure_dimension_problem(measures, dimensions) -> str | None:
    """Why these counts cannot be broken down by these dimensions, or None."""
    measures, dimensions = list(measures or []), list(dimensions or [])
    if CALLS in measures and any(d not in CALL_DIMENSIONS for d in dimensions):
        return str(
            _(
                "Hotline calls have no woman behind them: count calls by year, quarter, "
                "branch, call topic or language of the call only, in a dataset of their own."
            )
        )
    if any(m != CALLS for m in measures) and any(d in CALL_ONLY_DIMENSIONS for d in dimensions):
        return str(_("Call topic and language of the call break down hotline calls only."))
    if "referral_destination" in dimensions and any(m != REFERRALS for m in measures):
        return str(
            _(
                "The kind of organisation referred to breaks down referrals only, "
                "in a dataset of their own."
            )
        )
    if "service" in dimensions and any(m not in SERVICE_MEASURES for m in measures):
        return str(
            _(
                "Services delivered break down women, cases and sessions only, "
                "not referrals or shelter stays."
            )
        )
    return None


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
# multi-valued dimensions, and no exact date. Its "_key" names the record for
# the release auditor only; it is never counted, stored or shown.
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

    @property
    def one_dimensional(self) -> bool:
        """Broken down by one dimension only (its single column has no code). A
        second dimension with a single category is still a two-way table."""
        return self.column_codes == [""]


def _codes(unit: Unit, key: str) -> list[str]:
    value = unit.get(key)
    if value is None:
        return [UNKNOWN]
    if isinstance(value, list | tuple | set):
        return list(value) or [UNKNOWN]
    return [value]


def ordered_codes(dimension: Dimension, seen: Iterable[str]) -> list[str]:
    """The categories of a table: the fixed ones in order, then those seen."""
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


# A signature: the row codes, the column codes ([""] for a 1-D table) and how
# many units (or bed-nights) share them.
Signature = tuple[list[str], list[str], int]


def table_of(
    signatures: Iterable[Signature],
    row_dim: Dimension,
    column_dim: Dimension | None,
    *,
    row_codes: list[str] | None = None,
    column_codes: list[str] | None = None,
) -> Table:
    """Expand weighted signatures into cells and totals: a unit in rows a and b
    counts in each of them and once in the total."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    row_counts: dict[str, int] = defaultdict(int)
    column_counts: dict[str, int] = defaultdict(int)
    total = 0
    for rows, columns, weight in signatures:
        rows, columns = set(rows), set(columns)
        total += weight
        for row in rows:
            row_counts[row] += weight
            for column in columns:
                counts[(row, column)] += weight
        for column in columns:
            column_counts[column] += weight
    if row_codes is None:
        row_codes = ordered_codes(row_dim, row_counts)
    if column_codes is None:
        column_codes = ordered_codes(column_dim, column_counts) if column_dim else [""]
    return Table(
        row_codes=list(row_codes),
        column_codes=list(column_codes),
        cells=[[counts.get((r, c), 0) for c in column_codes] for r in row_codes],
        row_totals=[row_counts.get(r, 0) for r in row_codes],
        column_totals=[column_counts.get(c, 0) for c in column_codes],
        total=total,
        additive=not (row_dim.multi or (column_dim is not None and column_dim.multi)),
    )


def tabulate(units: list[Unit], rows: str, columns: str | None, *, k: int) -> Table:
    """Count units (dicts of codes) by one or two dimensions, each table merging
    its own rare categories. Totals count each unit once."""
    row_dim = DIMENSIONS[rows]
    column_dim = DIMENSIONS[columns] if columns else None
    for dimension in (row_dim, column_dim):
        if dimension is not None and dimension.merge_rare:
            units = _merge_rare(units, dimension.key, k)
    signatures = [
        (_codes(unit, rows), _codes(unit, columns) if columns else [""], 1) for unit in units
    ]
    return table_of(signatures, row_dim, column_dim)
