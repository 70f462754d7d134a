"""Her copy and her destruction for hotline calls: a call linked to one of
her cases is about her (a section of her subject-access copy; its advice is
blanked when her file is destroyed). An unlinked call has no subject: it
names nobody, and is deleted after its own period
(services.calls_purge_unlinked)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from counselling.hotline import services
from counselling.hotline.models import HotlineCall
from counselling.retention.registry import register_scrubber
from counselling.rights.display import row
from counselling.rights.registry import register_section

FIELDS = [
    "started_at",
    "duration_minutes",
    "language",
    "interpreter",
    "caller_kind",
    "topics",
    "risk",
    "advice",
    "referrals",
    "wants_to_come_in",
]


def calls_for_subject_access(client) -> list[dict]:
    calls = HotlineCall.objects.filter(case__client=client).select_related(
        "case__client", "staff", "branch"
    )
    return [
        row(
            call,
            FIELDS,
            **{
                _("case"): call.case.reference,
                _("branch"): call.branch.name,
                _("staff"): call.staff.full_name,
            },
        )
        for call in calls.order_by("started_at", "id")
    ]


register_section(
    "hotline", "상담전화 / Hotline calls", calls_for_subject_access, models=[HotlineCall]
)
register_scrubber("hotline", services.scrub_calls_for_client, case_fn=services.scrub_calls_for_case)
