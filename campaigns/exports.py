"""The public signatory list of a sign-on: organisation names and countries
only (nothing about people), as CSV or XLSX. Every export is audited."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from campaigns.models import Signatory, SignOn
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe_cell(value):
    """Text a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def signatory_table(sign_on: SignOn) -> list[list]:
    rows = [[_("Organisation (Korean)"), _("Organisation (English)"), _("Country")]]
    signatories = (
        Signatory.objects.filter(sign_on=sign_on)
        .select_related("organisation")
        .order_by("organisation__name_ko", "organisation__name_en", "id")
    )
    for signatory in signatories:
        organisation = signatory.organisation
        rows.append(
            [
                _safe_cell(organisation.name_ko),
                _safe_cell(organisation.name_en),
                organisation.country.name
                and str(organisation.country.name)
                or organisation.country.code,
            ]
        )
    return rows


def _audit(actor, sign_on: SignOn, file_format: str) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT,
            actor=actor,
            obj=sign_on,
            fields=["signatories"],
            reason=file_format,
        )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store"
    return response


def signatories_csv(*, actor, sign_on: SignOn) -> HttpResponse:
    _audit(actor, sign_on, "csv")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(signatory_table(sign_on))
    # With a byte-order mark, spreadsheet programs read the Korean text as UTF-8.
    return _attachment(
        buffer.getvalue().encode("utf-8-sig"),
        "text/csv; charset=utf-8",
        f"signatories-{sign_on.pk}.csv",
    )


def signatories_xlsx(*, actor, sign_on: SignOn) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    _audit(actor, sign_on, "xlsx")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Signatories")[:31]
    for row in signatory_table(sign_on):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 44
    sheet.column_dimensions["C"].width = 20
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(buffer.getvalue(), XLSX, f"signatories-{sign_on.pk}.xlsx")
