"""The audit trail as CSV, through ngo/lib/tabular.py: streamed row by row,
every cell neutralised (an object id or a reason can come from a request),
kept by no cache. The export itself is audited before the first row leaves.

Its cells are ids and codes, ASCII only, and scripts read it: no byte-order
mark, so the file stays as the tools that read the trail expect it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ngo.audit.models import AuditAction, AuditEvent
from ngo.audit.services import audit_record
from ngo.lib import tabular

EXPORT_COLUMNS = [
    "id",
    "occurred_at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "branch_id",
    "fields",
    "reason",
    "ip",
    "request_id",
]


def audit_event_rows(events: QuerySet[AuditEvent]):
    for event in events.iterator(chunk_size=2000):
        yield [
            event.id,
            event.occurred_at.isoformat(),
            event.actor_id or "",
            event.action,
            event.object_type,
            event.object_id,
            event.branch_id or "",
            " ".join(event.fields),
            event.reason,
            event.ip or "",
            event.request_id,
        ]


def audit_event_table(events: QuerySet[AuditEvent]) -> tabular.Table:
    return tabular.Table(
        header=EXPORT_COLUMNS, rows=audit_event_rows(events), byte_order_mark=False
    )


def audit_event_export(*, actor, events: QuerySet[AuditEvent], filters):
    """`events` as selected for `actor` (ngo.audit.selectors.audit_event_list);
    the export's audit event names the filters she used."""

    def audit():
        with transaction.atomic():
            audit_record(
                action=AuditAction.EXPORT,
                actor=actor,
                object_type="audit.auditevent",
                fields=sorted(k for k in filters if filters.get(k)),
            )

    return tabular.export_response(
        audit_event_table(events),
        file_format="csv",
        filename=f"audit-{timezone.localtime().strftime('%Y%m%d-%H%M')}",
        audit=audit,
    )
