"""Reading incidents, always scoped to the person reading."""

from __future__ import annotations

from django.db.models import QuerySet

from counselling.incidents.models import Incident
from ngo import access
from ngo.access import Need


def incident_queryset() -> QuerySet[Incident]:
    return Incident.objects.select_related("case", "recorded_by")


def incident_list(*, user, case=None) -> QuerySet[Incident]:
    incidents = access.scope(user, incident_queryset(), Need.READ)
    if case is not None:
        incidents = incidents.filter(case=case)
    return incidents


def incident_get(*, user, pk: int, need: Need = Need.READ) -> Incident:
    """The incident (404 outside her scope, 403 if she may only read it; audited)."""
    return access.get_for_user(user, incident_queryset(), pk, need)
