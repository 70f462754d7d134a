"""The attendance sheet of a programme as CSV or XLSX: one export for the screen
and the API alike (ngo/lib/tabular.py). Clients appear by case code only;
community members by the name they gave. Every export is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.programmes import selectors
from counselling.programmes.models import Programme
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import tabular


def attendance_table(programme: Programme) -> tabular.Table:
    sheet = selectors.attendance_sheet(programme=programme)
    marks = {True: _("present"), False: _("absent"), None: ""}
    header = [
        _("participant"),
        _("kind"),
        _("status"),
        *(timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M") for s in sheet["sessions"]),
        _("attended"),
        _("attendance (%)"),
    ]
    rows = (
        [
            row["who"] or "",
            _("client") if row["enrolment"].client_id else _("community member"),
            row["enrolment"].get_status_display(),
            *(marks[mark] for mark in row["marks"]),
            row["attended"],
            row["rate"],
        ]
        for row in sheet["rows"]
    )
    return tabular.Table(header=header, rows=rows, sheet_title=_("Attendance"), widths={"A": 24})


def attendance_export(*, actor, programme: Programme, file_format: str):
    def audit():
        with transaction.atomic():
            audit_record(
                action=AuditAction.EXPORT,
                actor=actor,
                obj=programme,
                fields=["attendance"],
                reason=file_format,
            )

    return tabular.export_response(
        attendance_table(programme),
        file_format=file_format,
        filename=f"attendance-{programme.pk}-{timezone.localdate().isoformat()}",
        audit=audit,
    )
