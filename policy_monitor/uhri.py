"""Reading OHCHR Universal Human Rights Index (UHRI) exports and importing
their recommendations.

UHRI's "Export to Excel" file has one recommendation a row. Its column names
are kept as UHRI spells them ("Reccomending Body", "UPR Reccomending States").
Multi-valued cells hold one value a line, each prefixed "- "; the publication
date is an Excel serial number or a date; the paragraph number starts the text
("49. The Committee ..."). The import is idempotent: a row is matched on its
OHCHR annotation id, or else on document symbol + paragraph.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from policy_monitor import services
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

# Normalised header -> our name. Both UHRI's spelling and the correct one are accepted.
COLUMNS = {
    "text": "text",
    "countries concerned": "countries",
    "reccomending body": "body",
    "recommending body": "body",
    "document symbol": "symbol",
    "themes": "themes",
    "affected persons": "persons",
    "sdgs": "sdgs",
    "document publication date": "date",
    "upr reccomending states": "states",
    "upr recommending states": "states",
    "upr position": "position",
    "type": "type",
    "ohchr annotation id": "annotation_id",
    "upr session": "upr_session",
}
REQUIRED = {"text": "Text", "body": "Reccomending Body", "symbol": "Document Symbol"}
IMPORT_FIELDS = (
    *services.RECOMMENDATION_FIELDS,
    "paragraph_unparsed",
    "countries_concerned",
    "uhri_annotation_id",
)
PARAGRAPH = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})?)\s*(?:\.(?!\d)|\))?\s+(?=\S)")
SDG = re.compile(r"^\s*(?:SDG\s*|Goal\s*|Target\s*)?(\d{1,2})(?:\.([0-9a-z]{1,2}))?\b", re.I)
EXCEL_EPOCH = date(1899, 12, 30)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y", "%Y.%m.%d", "%d-%m-%Y")
PROGRESS_EVERY = 100


@dataclass
class Table:
    rows: list[tuple[int, dict]]  # (spreadsheet row number, {our column name: value})
    ignored_columns: list[str] = field(default_factory=list)


def _normal(header) -> str:
    return " ".join(str(header or "").replace("\ufeff", "").split()).casefold()


def _table(header: list, body) -> Table:
    names = [COLUMNS.get(_normal(h)) for h in header]
    missing = [label for key, label in REQUIRED.items() if key not in names]
    if missing:
        raise ValidationError(
            _("This is not a UHRI export: the column(s) %(columns)s are missing.")
            % {"columns": ", ".join(f'"{m}"' for m in missing)},
            code="not_uhri",
        )
    ignored = [str(h) for h, n in zip(header, names, strict=False) if h and n is None]
    rows = []
    for number, values in body:
        row = {n: v for n, v in zip(names, values, strict=False) if n is not None}
        if any(v not in (None, "") and str(v).strip() for v in row.values()):
            rows.append((number, row))
    return Table(rows=rows, ignored_columns=ignored)


def read_table(name: str, data: bytes) -> Table:
    """The rows of an XLSX or CSV file; ValidationError if it is neither or not
    a UHRI export."""
    if name.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The CSV file is not UTF-8 text."), code="encoding") from None
        lines = list(csv.reader(io.StringIO(text)))
        if not lines:
            raise ValidationError(_("The file is empty."), code="empty")
        return _table(lines[0], ((i, r) for i, r in enumerate(lines[1:], start=2)))
    if name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(
                _("This file cannot be read as an Excel workbook."), code="bad_xlsx"
            ) from None
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = list(next(rows, []) or [])
            body = [(i, list(r)) for i, r in enumerate(rows, start=2)]
        finally:
            workbook.close()
        return _table(header, body)
    raise ValidationError(_("Upload the UHRI export as .xlsx or .csv."), code="format")


# --- Cell parsing ---------------------------------------------------------------------------


def multi(value) -> list[str]:
    """'- Women\\n- Migrants' -> ['Women', 'Migrants']."""
    if value in (None, ""):
        return []
    out = []
    for line in str(value).splitlines():
        line = line.strip()
        if line.startswith("- "):
            line = line[2:]
        elif line.startswith("-") and len(line) > 1 and not line[1].isdigit():
            line = line[1:]
        line = line.strip()
        if line and line not in out:
            out.append(line)
    return out


def parse_date(value) -> date | None:
    """An Excel serial number (43538), a date/datetime cell, or text in ISO or
    day/month/year form. None if empty; ValueError if unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{4,6}(\.\d+)?", text):
        return _serial(float(text))
    text = text.split("T")[0].split(" ")[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _serial(number: float) -> date:
    if not 1 <= number <= 2958465:
        raise ValueError(number)
    return EXCEL_EPOCH + timedelta(days=int(number))


def split_paragraph(text: str) -> tuple[str, str | None]:
    """('49. The Committee...', ...) -> (text, '49'); None when there is no number."""
    match = PARAGRAPH.match(text)
    return text, (match.group(1) if match else None)


def parse_position(value) -> str | None:
    text = str(value or "").strip().casefold()
    if not text:
        return Position.NONE
    if text.startswith(("support", "accept")):
        return Position.SUPPORTED
    if text.startswith(("noted", "note", "reject")):
        return Position.NOTED
    if text in {"none", "no position", "pending", "n/a"}:
        return Position.NONE
    return None


# --- The import --------------------------------------------------------------------------------


class _Catalogue:
    """What rows are matched against, loaded once per import."""

    def __init__(self, actor):
        self.actor = actor
        self.mechanisms = {}
        self.prefixes = []
        for mechanism in Mechanism.objects.all():
            for alias in [mechanism.code, mechanism.name_en, *mechanism.aliases]:
                self.mechanisms[_normal(alias)] = mechanism
            for prefix in PREFIX_ALIASES.get(mechanism.code, ()):
                self.prefixes.append((prefix, mechanism))
        self.terms = {(t.vocabulary, _normal(t.label_en)): t for t in Term.objects.all()}
        self.sdgs = {s.code: s for s in SdgTarget.objects.all()}
        self.reviews = {
            _normal(r.document_symbol): r for r in Review.objects.exclude(document_symbol="")
        }
        self.new_terms: list[str] = []

    def mechanism(self, body: str) -> Mechanism | None:
        key = _normal(body)
        if key in self.mechanisms:
            return self.mechanisms[key]
        return next((m for p, m in self.prefixes if key.startswith(p)), None)

    def term(self, vocabulary: str, label: str) -> Term:
        key = (vocabulary, _normal(label))
        if key not in self.terms:
            with transaction.atomic():
                self.terms[key] = services.term_create(
                    actor=self.actor, vocabulary=vocabulary, label_en=label[:200]
                )
            self.new_terms.append(f"{Vocabulary(vocabulary).label}: {label}")
        return self.terms[key]

    def sdg(self, value: str) -> SdgTarget | None:
        match = SDG.match(value)
        if not match:
            return None
        goal, target = match.group(1), match.group(2)
        if not 1 <= int(goal) <= 17:
            return None
        code = f"{int(goal)}.{target.lower()}" if target else str(int(goal))
        if code not in self.sdgs:
            label = value[match.end() :].strip(" -:–") or ""
            self.sdgs[code], _created = SdgTarget.objects.get_or_create(
                code=code, defaults={"goal": int(goal), "label": label[:300]}
            )
        return self.sdgs[code]


class Refused(Exception):
    def __init__(self, *reasons):
        self.reasons = [str(r) for r in reasons]


def _values(row: dict, catalogue: _Catalogue, warnings: list[str]) -> dict:
    text = str(row.get("text") or "").strip()
    symbol = str(row.get("symbol") or "").strip()
    body = " ".join(multi(row.get("body"))) if row.get("body") else ""
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
        issued_on = parse_date(row.get("date"))
    except ValueError:
        issued_on = None
        reasons.append(
            _("The publication date %(value)s cannot be read.") % {"value": row.get("date")}
        )
    position = parse_position(row.get("position"))
    if position is None:
        warnings.append(
            _("Unknown UPR position %(value)s; recorded as no position.")
            % {"value": row.get("position")}
        )
        position = Position.NONE
    if reasons:
        raise Refused(*reasons)
    _text, paragraph = split_paragraph(text)
    if paragraph is None:
        warnings.append(_("No paragraph number at the start of the text; kept and flagged."))
    sdgs = []
    for value in multi(row.get("sdgs")):
        target = catalogue.sdg(value)
        if target is None:
            warnings.append(_("SDG %(value)s not recognised; left out.") % {"value": value})
        else:
            sdgs.append(target)
    annotation = str(row.get("annotation_id") or "").strip()
    if annotation.endswith(".0") and annotation[:-2].isdigit():
        annotation = annotation[:-2]  # a numeric id read from Excel as a float
    return {
        "source": Source.MECHANISM,
        "mechanism": mechanism,
        "plan": None,
        "review": catalogue.reviews.get(_normal(symbol)),
        "text": text,
        "document_symbol": symbol[:80],
        "paragraph": paragraph or "",
        "paragraph_unparsed": paragraph is None,
        "issued_on": issued_on,
        "recommending_states": multi(row.get("states")),
        "position": position,
        "document_type": str(row.get("type") or "").strip()[:80],
        "upr_session": str(row.get("upr_session") or "").strip().removesuffix(".0")[:40],
        "countries_concerned": multi(row.get("countries")),
        "uhri_annotation_id": annotation[:64] or None,
        "themes": [catalogue.term(Vocabulary.THEME, t) for t in multi(row.get("themes"))],
        "affected_persons": [
            catalogue.term(Vocabulary.AFFECTED_PERSONS, t) for t in multi(row.get("persons"))
        ],
        "sdg_targets": sdgs,
    }


def _existing(values: dict) -> Recommendation | None:
    annotation = values["uhri_annotation_id"]
    if annotation:
        found = Recommendation.objects.filter(uhri_annotation_id=annotation).first()
        if found is not None:
            return found
    candidates = Recommendation.objects.filter(
        source=Source.MECHANISM, document_symbol=values["document_symbol"]
    )
    if annotation:
        candidates = candidates.filter(uhri_annotation_id__isnull=True)
    if values["paragraph"]:
        candidates = candidates.filter(paragraph=values["paragraph"])
        matches = list(candidates[:2])
        if len(matches) == 1:
            return matches[0]
    return candidates.filter(text=values["text"]).first()


def _import_row(values: dict, actor) -> tuple[str, list[str], Recommendation]:
    existing = _existing(values)
    if existing is None:
        created = services._create(
            Recommendation,
            actor=actor,
            values=values,
            fields=IMPORT_FIELDS,
            m2m=services.RECOMMENDATION_M2M,
            created_by=actor,
        )
        return "created", [], created
    if existing.uhri_annotation_id and not values["uhri_annotation_id"]:
        values["uhri_annotation_id"] = existing.uhri_annotation_id
    services._update(
        existing,
        actor=actor,
        values=values,
        fields=IMPORT_FIELDS,
        m2m=services.RECOMMENDATION_M2M,
    )
    changed = existing.changed_fields
    return ("updated" if changed else "unchanged"), changed, existing


def recommendation_import(
    *, table: Table, actor, progress: Callable[[int, dict], None] | None = None
) -> dict:
    """Import every row; each row in its own transaction, so a refused row never
    undoes the others. Returns the row-by-row report."""
    catalogue = _Catalogue(actor)
    counts = Counter({"created": 0, "updated": 0, "unchanged": 0, "refused": 0})
    unknown_bodies: Counter = Counter()
    lines = []
    for done, (number, row) in enumerate(table.rows, start=1):
        warnings: list[str] = []
        line = {
            "row": number,
            "symbol": str(row.get("symbol") or "").strip(),
            "paragraph": "",
        }
        try:
            values = _values(row, catalogue, warnings)
            line["paragraph"] = values["paragraph"]
            with transaction.atomic():
                outcome, changed, recommendation = _import_row(values, actor)
            line.update(outcome=outcome, id=recommendation.pk)
            if changed:
                line["changed"] = changed
        except Refused as refusal:
            line.update(outcome="refused", reasons=refusal.reasons)
            body = " ".join(multi(row.get("body")))
            if body and catalogue.mechanism(body) is None:
                unknown_bodies[body] += 1
        except ValidationError as error:
            line.update(outcome="refused", reasons=error.messages)
        counts[line["outcome"]] += 1
        if warnings:
            line["warnings"] = warnings
        lines.append(line)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, counts)
    return {
        "counts": dict(counts),
        "rows": lines,
        "unknown_bodies": dict(unknown_bodies),
        "new_terms": catalogue.new_terms,
        "ignored_columns": table.ignored_columns,
    }
