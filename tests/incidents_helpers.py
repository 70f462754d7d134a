"""What the incident tests share: recording one through the service."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def record(case, actor=None, days_ago: int = 10, **values):
    """An incident on `case` (a husband's physical assault at her home, unless told)."""
    from counselling.incidents import services

    values.setdefault("occurred_on", timezone.localdate() - timedelta(days=days_ago))
    values = {
        "violence_type": "physical_assault",
        "place": "her_home",
        "perpetrator": "husband",
        **values,
    }
    return services.incident_record(actor=actor or case.created_by, case=case, **values)
