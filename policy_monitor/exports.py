"""The recommendation list with its current status, as CSV or XLSX. Public
documents and our own status only: no personal data. Every export is audited."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from policy_monitor import selectors, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 100_000


def _header() -> list[str]:
    return [
        "id",
        _("source"),
        _("mechanism"),
        _("plan"),
        _("document symbol"),
        _("paragraph"),
        _("date"),
        _("text"),
        _("themes"),
        _("affected persons"),
        _("SDG targets"),
        _("recommending States (UPR)"),
        _("position of the State"),
        _("current status"),
        _("last assessed on"),
        _("OHCHR annotation id"),
    ]


def recommendation_table(queryset) -> list[list]:
    rows = [_header()]
    for r in queryset[:MAX_ROWS]:
        rows.append(
            [
                r.pk,
                r.get_source_display(),
                r.mechanism.code if r.mechanism_id else "",
                r.plan.title if r.plan_id else "",
                r.document_symbol,
                r.paragraph,
                r.issued_on.isoformat() if r.issued_on else "",
                r.text,
                "; ".join(t.label_en for t in r.themes.all()),
                "; ".join(t.label_en for t in r.affected_persons.all()),
                "; ".join(s.code for s in r.sdg_targets.all()),
                "; ".join(r.recommending_states),
                r.get_position_display(),
                r.get_current_status_display(),
                r.current_status_on.isoformat() if r.current_status_on else "",
                r.uhri_annotation_id or "",
            ]
        )
    return rows


def recommendation_export(*, user, filters: dict, file_format: str) -> HttpResponse:
    queryset, _filterset = selectors.recommendation_list(user=user, filters=filters)
    table = recommendation_table(queryset)
    services.recommendations_export_audit(actor=user, count=len(table) - 1, file_format=file_format)
    stamp = timezone.localdate().isoformat()
    if file_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel reads UTF-8 with the mark
        csv.writer(buffer).writerows(table)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Recommendations")[:31]
        for row in table:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["H"].width = 80
        for cell in sheet["H"][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        content = io.BytesIO()
        workbook.save(content)
        response = HttpResponse(content.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="recommendations-{stamp}.{file_format}"'
    )
    return response
