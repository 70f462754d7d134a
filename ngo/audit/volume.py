"""Volume data: the audit trail of the archive's years (mostly reads of cases and
clients by their own counsellors, then changes, exports and sign-ins)."""

from __future__ import annotations

from ngo.audit.models import AuditAction, AuditEvent
from ngo.volume import weighted

ORDER = 90

ACTIONS = {
    AuditAction.READ: 70,
    AuditAction.UPDATE: 12,
    AuditAction.CREATE: 8,
    AuditAction.LOGIN: 6,
    AuditAction.EXPORT: 2,
    AuditAction.LOGOUT: 2,
}


def seed(plan) -> None:
    rng, writer = plan.rng, plan.writer
    cases = list(plan.made.get("cases", {}).items())
    if not cases:
        return

    def rows():
        for event_id in writer.ids(AuditEvent, plan.volume.audit_events):
            case_id, (client_id, branch_id, opened, closed, _status, staff) = rng.choice(cases)
            action = weighted(rng, ACTIONS)
            on_case = action not in (AuditAction.LOGIN, AuditAction.LOGOUT)
            object_type, object_id = "", ""
            if on_case:
                object_type, object_id = (
                    ("counselling.case", str(case_id))
                    if rng.random() < 0.6
                    else ("counselling.client", str(client_id))
                )
            yield writer.row(
                AuditEvent,
                id=event_id,
                occurred_at=plan.moment(opened, closed or plan.today),
                actor_id=rng.choice(staff),
                action=action,
                object_type=object_type,
                object_id=object_id,
                branch_id=branch_id,
                fields=["summary"] if action == AuditAction.UPDATE else [],
                reason="",
                ip=f"10.0.0.{rng.randint(1, 254)}",
                request_id="",
            )

    writer.insert(AuditEvent, rows())
