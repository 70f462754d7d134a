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
from counselling.models import Case, CaseStatus, CaseType, ClosureReason, RiskLevel
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import tabular
from ngo.lib.aggregates import joined_subquery

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


def _name(original: str, romanised: str) -> str:
    if original and romanised:
        return f"{original} ({romanised})"
    return original or romanised


def case_rows(queryset):
    """One row a case, read as plain values (no model objects; the assigned staff
    joined in SQL), in chunks, so any number streams at close to the database's
    own pace."""
    types = dict(CaseType.choices)
    statuses, risks = dict(CaseStatus.choices), dict(RiskLevel.choices)
    reasons = dict(ClosureReason.choices)
    staff = joined_subquery(
        Case.assigned.through.objects.all(), key="case_id", value="user__full_name"
    )
    values = queryset.annotate(staff_names=staff).values_list(
        "pk",
        "client__case_code",
        "client__name_original",
        "client__name_romanised",
        "branch__code",
        "case_types",
        "status",
        "risk_level",
        "staff_names",
        "opened_on",
        "closed_on",
        "closure_reason",
        "restricted",
    )
    yes = _("yes")
    for (
        pk,
        code,
        original,
        romanised,
        branch,
        case_types,
        status,
        risk,
        names,
        opened,
        closed,
        reason,
        restricted,
    ) in values.iterator(chunk_size=CHUNK):
        yield [
            f"{code}/{pk}",
            code,
            _name(original, romanised),
            branch,
            ", ".join(str(types.get(t, t)) for t in case_types),
            statuses.get(status, status),
            risks.get(risk, risk),
            names or "",
            opened,
            closed or "",
            reasons.get(reason, "") if reason else "",
            yes if restricted else "",
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
