"""Her copy and her destruction for the services given to her cases."""

from __future__ import annotations

from django.utils.translation import gettext as _

from counselling.retention.registry import register_scrubber
from counselling.rights.display import row
from counselling.rights.registry import register_section
from counselling.support import services
from counselling.support.models import ServiceGiven

FIELDS = [
    "kind",
    "provider_name",
    "given_on",
    "given_until",
    "cost_krw",
    "paid_by",
    "status",
    "note",
]


def services_for_subject_access(client) -> list[dict]:
    given = ServiceGiven.objects.filter(case__client=client).select_related(
        "case__client", "organisation"
    )
    return [
        row(
            service,
            FIELDS,
            **{
                _("case"): service.case.reference,
                _("provider (directory)"): service.organisation.name
                if service.organisation_id
                else "",
            },
        )
        for service in given.order_by("given_on", "id")
    ]


register_section(
    "services_given",
    "지원 서비스 / Services given",
    services_for_subject_access,
    models=[ServiceGiven],
)
register_scrubber(
    "support", services.scrub_services_for_client, case_fn=services.scrub_services_for_case
)
