"""Fictional hotline calls for the quick start (never in production): a few
calls at the demo counsellor's branch, one linked to a demo case."""

from datetime import timedelta

from django.utils import timezone

from counselling.hotline import services
from counselling.hotline.models import HotlineCall
from counselling.models import Case
from ngo.accounts.models import User

CALLS = [
    {"topics": ["domestic_violence"], "language": "vi", "risk": "some", "referrals": ["1366"]},
    {"topics": ["residence", "divorce_custody"], "language": "zh", "wants_to_come_in": "yes"},
    {"topics": ["labour"], "language": "km", "interpreter": "phone", "caller_kind": "professional"},
    {
        "topics": ["domestic_violence"],
        "language": "tl",
        "risk": "immediate",
        "referrals": ["police"],
    },
]


def load() -> None:
    if HotlineCall.objects.exists():
        return
    counsellor = User.objects.get(email="counsellor@demo.hamkke.kr")
    branch = counsellor.branches.first()
    now = timezone.now()
    made = []
    for days, values in enumerate(CALLS):
        made.append(
            services.call_record(
                actor=counsellor,
                branch=branch,
                started_at=now - timedelta(days=days * 3, hours=2),
                duration_minutes=10 + days * 5,
                advice="Explained the options (demo).",
                **values,
            )
        )
    case = Case.objects.filter(branch=branch).order_by("pk").first()
    if case is not None:
        services.call_link(actor=counsellor, call=made[0], case=case)
