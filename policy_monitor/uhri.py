"""Reading OHCHR Universal Human Rights Index (UHRI) exports: pure parsing,
no database writes (the import itself is in policy_monitor/imports.py).

UHRI's "Export to Excel" file has one recommendation a row. Its column names
are kept as UHRI spells them ("Reccomending Body", "UPR Reccomending States").
Multi-valued cells hold one value a line, each prefixed "- "; the publication
date is an Excel serial number or a date; the paragraph number starts the text
("49. The Committee ...").
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ngo.lib import xlsx
from policy_monitor.models import Position

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
# The columns of UHRI's "Export to Excel", in its order and spelling.
EXPORT_HEADER = (
    "Text",
    "Countries Concerned",
    "Reccomending Body",
    "Document Symbol",
    "Themes",
    "Affected Persons",
    "Sdgs",
    "Document Publication Date",
    "UPR Reccomending States",
    "UPR Position",
    "Type",
    "OHCHR Annotation Id",
    "UPR Session",
)
REQUIRED = {"text": "Text", "body": "Reccomending Body", "symbol": "Document Symbol"}
PARAGRAPH = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})?)\s*(?:\.(?!\d)|\))?\s+(?=\S)")
SDG = re.compile(r"^\s*(?:SDG\s*|Goal\s*|Target\s*)?(\d{1,2})(?:\.([0-9a-z]{1,2}))?\b", re.I)
EXCEL_EPOCH = date(1899, 12, 30)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%d.%m.%Y", "%Y.%m.%d", "%d-%m-%Y")


@dataclass
class Table:
    rows: list[tuple[int, dict]]  # (spreadsheet row number, {our column name: value})
    ignored_columns: list[str] = field(default_factory=list)


def normal(header) -> str:
    return " ".join(str(header or "").replace("\ufeff", "").split()).casefold()


def _table(header: list, body) -> Table:
    names = [COLUMNS.get(normal(h)) for h in header]
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
        try:
            rows = list(xlsx.rows(io.BytesIO(data)))
        except xlsx.UnreadableWorkbook:
            rows = _openpyxl_rows(data)  # a workbook shaped as the fast reader does not know
        if not rows:
            return _table([], [])
        return _table(rows[0][1], rows[1:])
    raise ValidationError(_("Upload the UHRI export as .xlsx or .csv."), code="format")


def _openpyxl_rows(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ValidationError(
            _("This file cannot be read as an Excel workbook."), code="bad_xlsx"
        ) from None
    try:
        return [
            (i, list(r))
            for i, r in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


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
    if ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)  # the usual form, without strptime's cost
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
