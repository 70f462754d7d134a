"""The caseload as CSV or XLSX, with the filters of the screen, every case the
manager may see (streamed, no cap). The lines of the list only: never the
encrypted narrative (summary, closure note) nor the client's encrypted details
(residence status, phone, address). Every export is audited with its count and
the names of the filters used."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling import selectors
from counselling.access_rules import require_caseload
from counselling.models import CaseStatus, CaseType, ClosureReason, RiskLevel
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import tabular

CHUNK = 2000


def _header() -> list[str]:
    return [
        _("reference"),
        _("case code"),
        _("name"),
        _("branch"),
        _("case types"),
        _("status"),
        _("risk level"),
        _("assigned staff"),
        _("opened on"),
        _("closed on"),
        _("closure reason"),
        _("restricted"),
    ]


def case_rows(queryset):
    """One row a case, read in chunks with its assigned staff."""
    types = dict(CaseType.choices)
    statuses, risks = dict(CaseStatus.choices), dict(RiskLevel.choices)
    reasons = dict(ClosureReason.choices)
    for case in queryset.iterator(chunk_size=CHUNK):
        yield [
            case.reference,
            case.client.case_code,
            case.client.display_name,
            case.branch.code,
            ", ".join(str(types.get(t, t)) for t in case.case_types),
            statuses.get(case.status, case.status),
            risks.get(case.risk_level, case.risk_level),
            ", ".join(u.full_name for u in case.assigned.all()),
            case.opened_on,
            case.closed_on or "",
            reasons.get(case.closure_reason, "") if case.closure_reason else "",
            _("yes") if case.restricted else "",
        ]


def _used_filters(filters) -> list[str]:
    """The names of the filters used; never their values (a search may be a name)."""
    return sorted(key for key in filters if key != "page" and filters.get(key))


def case_list_export(*, user, filters, file_format: str):
    """Branch managers and administrators only (the caseload's rule); invalid
    filters raise ValidationError with the filters' own messages."""
    require_caseload(user)
    queryset, filterset = selectors.case_list(user=user, filters=filters)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    queryset = queryset.order_by("-opened_on", "-id")
    count = queryset.count()

    def audit():
        with transaction.atomic():
            audit_record(
                action=AuditAction.EXPORT,
                actor=user,
                object_type="counselling.case",
                fields=["caseload", *_used_filters(filters)],
                reason=f"{file_format}:{count}",
            )

    table = tabular.Table(
        header=_header(),
        rows=case_rows(queryset),
        sheet_title=_("Caseload"),
        widths={"C": 28, "E": 30, "H": 28},
    )
    return tabular.export_response(
        table,
        file_format=file_format,
        filename=f"caseload-{timezone.localdate().isoformat()}",
        audit=audit,
    )
