"""The caseload as CSV or XLSX, with the filters of the screen, every case the
manager may see (streamed, no cap). The lines of the list only: never the
encrypted narrative (summary, closure note) nor the client's encrypted details
(residence status, phone, address). Every export is audited with its count and
the names of the filters used."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling import selectors
from counselling.access_rules import require_caseload
from counselling.models import Case, CaseStatus, CaseType, ClosureReason, RiskLevel
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import tabular
from ngo.lib.aggregates import JoinedJsonList, joined_subquery
from ngo.lib.tabular import Neutralised

CHUNK = tabular.CHUNK_ROWS


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


def _name() -> models.Case:
    """ "original (romanised)", or whichever of the two she gave."""
    original, romanised = F("client__name_original"), F("client__name_romanised")
    return models.Case(
        models.When(
            Q(client__name_original="") | Q(client__name_romanised=""),
            then=Concat(original, romanised),
        ),
        default=Concat(original, Value(" ("), romanised, Value(")")),
        output_field=CharField(),
    )


def case_rows(queryset):
    """One row a case, every cell computed by the database (labels in the active
    language, the assigned staff joined): the query PostgreSQL writes as CSV
    itself, or that Python reads in chunks."""
    staff = joined_subquery(
        Case.assigned.through.objects.all(), key="case_id", value="user__full_name"
    )
    return queryset.values_list(
        Neutralised(Concat(F("client__case_code"), Value("/"), F("pk"), output_field=CharField())),
        Neutralised(F("client__case_code")),
        Neutralised(_name()),
        Neutralised(F("branch__code")),
        Neutralised(JoinedJsonList(F("case_types"), separator=", ", labels=dict(CaseType.choices))),
        tabular.choice_label("status", CaseStatus.choices),
        tabular.choice_label("risk_level", RiskLevel.choices),
        Neutralised(staff),
        "opened_on",
        "closed_on",
        tabular.choice_label("closure_reason", ClosureReason.choices, unknown=""),
        tabular.yes_or_empty("restricted", _("yes")),
    )


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
        query=case_rows(queryset),
        sheet_title=_("Caseload"),
        widths={"C": 28, "E": 30, "H": 28},
    )
    return tabular.export_response(
        table,
        file_format=file_format,
        filename=f"caseload-{timezone.localdate().isoformat()}",
        audit=audit,
    )
