"""Case records for the statistics format, progress and bad-input tests: six
women who consented to statistics (two with a session), one who was never
asked, and four hotline calls, all at SEO today; and reading each file format
back."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

from django.utils import timezone

from counselling import services
from counselling.hotline import services as hotline
from counselling.models import ConsentPurpose


def consent(case, given=True):
    return services.consent_record(
        actor=case.created_by,
        client=case.client,
        purpose=ConsentPurpose.STATISTICS,
        given=given,
        explanation_language="vi",
    )


def build_world(make_case, personas, branch_a, *, women=6) -> dict:
    counsellor = personas.counsellor_a
    cases = []
    for n in range(women):
        case = make_case(
            name_romanised=f"Pham Thi Lan {n}",
            nationality=("VN", "PH", "KH")[n % 3],
            residence_status=("F-6", "E-9", "undocumented")[n % 3],
            birth_date=date(timezone.localdate().year - 22 - 7 * n, 3, 14),
            marital_status=("married", "divorced")[n % 2],
            case_types=["domestic_violence"] if n % 2 else ["domestic_violence", "residence"],
        )
        consent(case)
        cases.append(case)
    services.session_record(actor=counsellor, case=cases[0], mode="phone", services=["counselling"])
    services.session_record(
        actor=counsellor, case=cases[1], mode="phone", services=["legal_advice"]
    )
    silent = make_case(name_romanised="Never Asked Anyone")
    for n in range(4):
        hotline.call_record(
            actor=counsellor,
            branch=branch_a,
            started_at=timezone.now(),
            topics=[("labour", "domestic_violence")[n % 2]],
            language=("vi", "ko")[n % 2],
        )
    return {"cases": cases, "silent": silent}


# --- Reading the files back -----------------------------------------------------------------


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    rows = []
    for row in sheet.iter_rows():
        cells = list(row)
        while cells and cells[-1].value is None:
            cells.pop()
        rows.append(cells)
    return rows


def docx_document(content: bytes):
    from docx import Document

    return Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    document = docx_document(content)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def unzip(content: bytes, into) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(into)
        return {name: archive.read(name) for name in archive.namelist()}


def table_after(rows: list[list], caption: str, width_of=len) -> tuple[list, list[list]]:
    """In a sheet of rows (CSV or XLSX), the header row and the body rows
    (totals included) of the table whose caption line is `caption`."""
    values = [[getattr(c, "value", c) for c in row] for row in rows]
    start = values.index([caption]) + 1
    header = rows[start]
    body = []
    for row in rows[start + 1 :]:
        if width_of(row) == 1 or not row:
            break
        body.append(row)
    return header, body
