"""What this app adds beside its own screens: the "incident recorded" line of
the case timeline, the section of her subject-access copy, and the scrubber
that blanks her incidents when her records are destroyed."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counselling.case_panels import register_timeline_kind
from counselling.incidents import services
from counselling.incidents.models import Incident, ViolenceType
from counselling.retention.registry import register_scrubber
from counselling.rights.display import row
from counselling.rights.registry import register_section


def _type_label(code: str) -> str:
    try:
        return str(ViolenceType(code).label)
    except ValueError:
        return code


def _her_incidents(client) -> list[dict]:
    return [
        row(
            incident,
            ("case", *services.INCIDENT_FIELDS),
            **{_("recorded at"): incident.recorded_at},
        )
        for incident in services.incidents_for_subject_access(client)
    ]


register_timeline_kind(
    services.TIMELINE_KIND,
    gettext_lazy("Incident recorded"),
    label=_type_label,
    anchor="incidents",
)
register_section("incidents", "사건 / Incidents of violence", _her_incidents, models=[Incident])
register_scrubber(
    "incidents",
    services.scrub_incidents_for_client,
    case_fn=services.scrub_incidents_for_case,
)
