"""The rows of a UHRI file read into recommendation values, before anything is
written: the catalogue they are matched against (loaded once per import), the
checks that refuse a row, and the rows that repeat one read before them.

A row is refused here when it lacks its text, symbol or a known body, when its
date cannot be read, and when an earlier row of the file carries the same OHCHR
annotation id (or, without one, the same symbol, paragraph and text): a file that
says two things about one recommendation gets the first, and the report names the
row it repeats. (records.py refuses a row whose values do not fit the record.)"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record_many
from policy_monitor import services, uhri
from policy_monitor.catalogue import PREFIX_ALIASES
from policy_monitor.models import (
    Mechanism,
    Position,
    Recommendation,
    Review,
    SdgTarget,
    Source,
    Term,
    Vocabulary,
)

IMPORT_FIELDS = (
    *services.RECOMMENDATION_FIELDS,
    "paragraph_unparsed",
    "countries_concerned",
    "uhri_annotation_id",
)
LINKS = services.RECOMMENDATION_M2M  # themes, affected persons, SDG targets
TERM_LABEL_LENGTH = Term._meta.get_field("label_en").max_length
SDG_LABEL_LENGTH = SdgTarget._meta.get_field("label").max_length


class Catalogue:
    """What rows are matched against, loaded once per import. The terms and SDG
    targets a file names that the catalogue lacks are noted while the rows are
    read; `create_missing` creates those that accepted rows use."""

    def __init__(self):
        self.mechanisms = {}
        self.prefixes = []
        for mechanism in Mechanism.objects.all():
            for alias in [mechanism.code, mechanism.name_en, *mechanism.aliases]:
                self.mechanisms[uhri.normal(alias)] = mechanism
            for prefix in PREFIX_ALIASES.get(mechanism.code, ()):
                self.prefixes.append((prefix, mechanism))
        self.terms = {
            (vocabulary, uhri.normal(label)): pk
            for pk, vocabulary, label in Term.objects.values_list("pk", "vocabulary", "label_en")
        }
        self.sdgs = dict(SdgTarget.objects.values_list("code", "pk"))
        self.reviews = {
            uhri.normal(r.document_symbol): r for r in Review.objects.exclude(document_symbol="")
        }
        self.unknown_bodies: Counter = Counter()
        self._term_labels: dict[tuple[str, str], str] = {}  # missing term -> its label
        self._sdg_labels: dict[str, tuple[int, str]] = {}  # missing code -> goal, label

    def mechanism(self, body: str) -> Mechanism | None:
        key = uhri.normal(body)
        if key in self.mechanisms:
            return self.mechanisms[key]
        found = next((m for p, m in self.prefixes if key.startswith(p)), None)
        if found is None:
            self.unknown_bodies[body] += 1
        return found

    def term(self, vocabulary: str, label: str) -> tuple[str, str]:
        label = label[:TERM_LABEL_LENGTH]
        key = (vocabulary, uhri.normal(label))
        if key not in self.terms:
            self._term_labels.setdefault(key, label)
        return key

    def sdg(self, value: str) -> str | None:
        match = uhri.SDG.match(value)
        if not match:
            return None
        goal, target = match.group(1), match.group(2)
        if not 1 <= int(goal) <= 17:
            return None
        code = f"{int(goal)}.{target.lower()}" if target else str(int(goal))
        if code not in self.sdgs:
            label = value[match.end() :].strip(" -:–") or ""
            self._sdg_labels.setdefault(code, (int(goal), label[:SDG_LABEL_LENGTH]))
        return code

    def create_missing(self, rows: list[Row], *, actor) -> list[str]:
        """Create, in bulk, the terms (audited) and SDG targets that accepted rows
        name and the catalogue lacks; returns the new terms as the report lists
        them. Call inside a transaction."""
        accepted = [row.links for row in rows if row.values is not None]
        terms = {
            key: self._term_labels[key]
            for links in accepted
            for key in (*links["themes"], *links["affected_persons"])
            if key not in self.terms
        }
        codes = {c for links in accepted for c in links["sdg_targets"] if c not in self.sdgs}
        created = Term.objects.bulk_create(
            [
                Term(vocabulary=vocabulary, label_en=label)
                for (vocabulary, _k), label in terms.items()
            ]
        )
        self.terms.update(zip(terms, (t.pk for t in created), strict=True))
        audit_record_many(
            action=AuditAction.CREATE,
            actor=actor,
            records=[(term, ["label_en", "vocabulary"]) for term in created],
        )
        sdgs = SdgTarget.objects.bulk_create(
            [
                SdgTarget(
                    code=code, goal=self._sdg_labels[code][0], label=self._sdg_labels[code][1]
                )
                for code in sorted(codes)
            ]
        )
        self.sdgs.update((s.code, s.pk) for s in sdgs)
        return [f"{Vocabulary(t.vocabulary).label}: {t.label_en}" for t in created]

    def resolve(self, rows: list[Row]) -> None:
        """The accepted rows' links, from catalogue keys to primary keys."""
        for row in rows:
            if row.values is not None:
                row.links = {
                    "themes": [self.terms[k] for k in row.links["themes"]],
                    "affected_persons": [self.terms[k] for k in row.links["affected_persons"]],
                    "sdg_targets": [self.sdgs[c] for c in row.links["sdg_targets"]],
                }


class Refused(Exception):
    def __init__(self, *reasons):
        self.reasons = [str(r) for r in reasons]


@dataclass
class Row:
    """One row of the file on its way to a record; `line` is its line of the report."""

    number: int
    line: dict
    values: dict | None = None  # None once refused
    links: dict[str, list] = field(default_factory=dict)  # catalogue keys, then primary keys
    record: Recommendation | None = None  # built from the values, saved if it is new

    @property
    def annotation(self) -> str | None:
        return self.values["uhri_annotation_id"] if self.values else None

    def refuse(self, reasons: list[str]) -> None:
        self.values, self.links, self.record = None, {}, None
        self.line.update(outcome="refused", reasons=reasons)


def annotation_of(row: dict) -> str | None:
    annotation = str(row.get("annotation_id") or "").strip()
    if annotation.endswith(".0") and annotation[:-2].isdigit():
        annotation = annotation[:-2]  # a numeric id read from Excel as a float
    return annotation[:64] or None


def _values(row: dict, catalogue: Catalogue, warnings: list[str]) -> tuple[dict, dict]:
    """The record's values and its links (catalogue keys); Refused with every reason."""
    text = str(row.get("text") or "").strip()
    symbol = str(row.get("symbol") or "").strip()
    body = " ".join(uhri.multi(row.get("body"))) if row.get("body") else ""
    reasons = []
    if not text:
        reasons.append(_("The text is empty."))
    if not symbol:
        reasons.append(_("The document symbol is empty."))
    mechanism = None
    if not body:
        reasons.append(_("The recommending body is empty."))
    else:
        mechanism = catalogue.mechanism(body)
        if mechanism is None:
            reasons.append(_("Unknown recommending body: %(body)s.") % {"body": body})
    try:
        issued_on = uhri.parse_date(row.get("date"))
    except ValueError:
        issued_on = None
        reasons.append(
            _("The publication date %(value)s cannot be read.") % {"value": row.get("date")}
        )
    position = uhri.parse_position(row.get("position"))
    if position is None:
        warnings.append(
            _("Unknown UPR position %(value)s; recorded as no position.")
            % {"value": row.get("position")}
        )
        position = Position.NONE
    if reasons:
        raise Refused(*reasons)
    _text, paragraph = uhri.split_paragraph(text)
    if paragraph is None:
        warnings.append(_("No paragraph number at the start of the text; kept and flagged."))
    sdgs = []
    for value in uhri.multi(row.get("sdgs")):
        code = catalogue.sdg(value)
        if code is None:
            warnings.append(_("SDG %(value)s not recognised; left out.") % {"value": value})
        elif code not in sdgs:
            sdgs.append(code)
    values = {
        "source": Source.MECHANISM,
        "mechanism": mechanism,
        "plan": None,
        "review": catalogue.reviews.get(uhri.normal(symbol)),
        "text": text,
        "document_symbol": symbol[:80],
        "paragraph": paragraph or "",
        "paragraph_unparsed": paragraph is None,
        "issued_on": issued_on,
        "recommending_states": uhri.multi(row.get("states")),
        "position": position,
        "document_type": str(row.get("type") or "").strip()[:80],
        "upr_session": str(row.get("upr_session") or "").strip().removesuffix(".0")[:40],
        "countries_concerned": uhri.multi(row.get("countries")),
        "uhri_annotation_id": annotation_of(row),
    }
    links = {
        "themes": _keys(catalogue, Vocabulary.THEME, row.get("themes")),
        "affected_persons": _keys(catalogue, Vocabulary.AFFECTED_PERSONS, row.get("persons")),
        "sdg_targets": sdgs,
    }
    return values, links


def _keys(catalogue: Catalogue, vocabulary: str, cell) -> list:
    keys = []
    for label in uhri.multi(cell):
        key = catalogue.term(vocabulary, label)
        if key not in keys:
            keys.append(key)
    return keys


def _same(row: Row, other: Row) -> bool:
    def links(r: Row) -> dict:
        return {name: set(keys) for name, keys in r.links.items()}

    return row.values == other.values and links(row) == links(other)


def _repeats(row: Row, earlier: Row, annotation: str | None) -> str:
    if annotation is None:
        return _(
            "Row %(row)s has the same document symbol, paragraph and text, and no OHCHR "
            "annotation id either; this row is left out."
        ) % {"row": earlier.number}
    if row.values is not None and _same(row, earlier):
        return _(
            "A repeat of row %(row)s (the same OHCHR annotation id %(id)s, the same values); "
            "left out."
        ) % {"row": earlier.number, "id": annotation}
    return _(
        "Row %(row)s has the same OHCHR annotation id %(id)s with other values; this row "
        "is left out. Keep the right one of the two in the file and import it again."
    ) % {"row": earlier.number, "id": annotation}


def read_rows(table: uhri.Table, catalogue: Catalogue) -> list[Row]:
    """Every row of the file, each accepted with its values or refused with its
    reasons. Writes nothing."""
    rows: list[Row] = []
    by_annotation: dict[str, Row] = {}
    by_text: dict[tuple, Row] = {}  # rows without an annotation id
    for number, cells in table.rows:
        line = {"row": number, "symbol": str(cells.get("symbol") or "").strip(), "paragraph": ""}
        row, warnings = Row(number=number, line=line), []
        rows.append(row)
        annotation = annotation_of(cells)
        reasons = []
        try:
            row.values, row.links = _values(cells, catalogue, warnings)
            line["paragraph"] = row.values["paragraph"]
        except Refused as refusal:
            reasons = refusal.reasons
        if warnings:
            line["warnings"] = warnings
        if annotation is not None:
            earlier = by_annotation.setdefault(annotation, row)
        elif row.values is not None:
            key = tuple(row.values[k] for k in ("document_symbol", "paragraph", "text"))
            earlier = by_text.setdefault(key, row)
        else:
            earlier = row
        if earlier is not row:
            reasons = [*reasons, _repeats(row, earlier, annotation)]
        if reasons:
            row.refuse(reasons)
    return rows
