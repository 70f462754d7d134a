"""Writes on services given: add, change, cancel (each audited), the audited
export of the cost report, and the scrubber of her file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from counselling.models import Case
from counselling.support.models import ServiceGiven, SupportStatus
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, audited_create, audited_update
from ngo.lib.versions import claim_version

SERVICE_FIELDS = (
    "kind",
    "organisation",
    "provider_name",
    "given_on",
    "given_until",
    "cost_krw",
    "paid_by",
    "status",
    "note",
)


@transaction.atomic
def service_add(*, actor: User, case: Case, **values) -> ServiceGiven:
    return audited_create(
        ServiceGiven,
        actor=actor,
        values=values,
        allowed=SERVICE_FIELDS,
        extra={"case": case, "created_by": actor},
    )


@transaction.atomic
def service_update(
    *, actor: User, service: ServiceGiven, expected_version: int | None = None, **values
) -> ServiceGiven:
    audited_update(
        service,
        actor=actor,
        values=values,
        allowed=SERVICE_FIELDS,
        expected_version=expected_version,
    )
    return service


@transaction.atomic
def service_cancel(
    *, actor: User, service: ServiceGiven, expected_version: int | None = None
) -> ServiceGiven:
    if service.status == SupportStatus.CANCELLED:
        raise ValidationError({"status": _("The service is cancelled already.")})
    claim_version(service, expected_version)
    service.status = SupportStatus.CANCELLED
    service.save(update_fields=["status", "version"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=service, fields=["status"], reason="cancel"
    )
    return service


def cost_report_exported(*, actor: User, branch=None) -> None:
    """Audit the CSV of the cost report (counts and sums only)."""
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        object_type="support.costreport",
        branch=branch,
        reason="csv",
    )


def scrub_services_for_client(client) -> dict[str, int]:
    """Her services keep kind, dates, cost and payer (what the report counts);
    the note and a provider named by hand (a private person) are blanked."""
    rows = ServiceGiven.objects.filter(case__client=client)
    return {"support.ServiceGiven": _scrub(rows)}


def scrub_services_for_case(case) -> dict[str, int]:
    return {"support.ServiceGiven": _scrub(ServiceGiven.objects.filter(case=case))}


def _scrub(rows) -> int:
    return rows.update(note=None, provider_name="", version=F("version") + 1)
