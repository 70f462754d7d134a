"""The audit panel of the home page: records read and exports made, week by
week over the last twelve weeks. An auditor sees the whole organisation from
outside its case work, so the counts follow the small-cell rule."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction, AuditEvent
from ngo.lib import charts
from ngo.lib.dashboard import register

WEEKS = 12


def reads_and_exports_per_week(*, user, weeks: list[date]) -> dict[str, dict[date, int]]:
    """Read and export events the user may see, by action and week (one GROUP BY)."""
    since = timezone.make_aware(datetime.combine(weeks[0], time.min))
    rows = (
        access.scope(user, AuditEvent, Need.READ)
        .filter(action__in=[AuditAction.READ, AuditAction.EXPORT], occurred_at__gte=since)
        .annotate(week=TruncWeek("occurred_at"))
        .values("action", "week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[str, dict[date, int]] = {AuditAction.READ: {}, AuditAction.EXPORT: {}}
    for row in rows:
        week = timezone.localtime(row["week"]).date() if row["week"] else None
        counts[row["action"]][week] = counts[row["action"]].get(week, 0) + row["n"]
    return counts


@register
def audit_panel(user):
    if not user.can(Capability.READ_AUDIT):
        return None
    weeks = charts.week_starts(timezone.localdate(), WEEKS)
    counts = reads_and_exports_per_week(user=user, weeks=weeks)
    return {
        "template": "dashboard/audit.html",
        "charts": [
            charts.chart(
                key="audit-reads-exports",
                title=_("Records read and exports made per week"),
                labels=charts.week_labels(weeks),
                series=[
                    (_("reads"), charts.per_period(counts[AuditAction.READ], weeks)),
                    (_("exports"), charts.per_period(counts[AuditAction.EXPORT], weeks)),
                ],
                k=charts.DEFAULT_CELL_SIZE,
            )
        ],
    }
