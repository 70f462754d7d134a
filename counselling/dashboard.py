"""The counselling panel of the home page: my caseload and what is due."""

from datetime import timedelta

from django.utils import timezone

from counselling.models import CaseEvent, CaseStatus, CounsellingSession, RiskLevel
from counselling.selectors import my_cases
from ngo import access
from ngo.accounts.roles import Capability
from ngo.lib.dashboard import register


@register
def counselling_panel(user):
    if not user.can(Capability.READ_CASES):
        return None
    today = timezone.localdate()
    mine = my_cases(user=user)
    mine_ids = mine.values("pk")
    follow_ups = (
        access.scope(user, CounsellingSession)
        .filter(case__in=mine_ids, follow_up_on__lte=today)
        .exclude(case__status=CaseStatus.CLOSED)
        .values("case")
        .distinct()
        .count()
    )
    key_dates = (
        access.scope(user, CaseEvent)
        .filter(
            case__in=mine_ids,
            done=False,
            starts_at__date__gte=today,
            starts_at__date__lte=today + timedelta(days=7),
        )
        .count()
    )
    return {
        "template": "dashboard/counselling.html",
        "open_cases": mine.count(),
        "high_risk": mine.filter(risk_level__in=[RiskLevel.HIGH, RiskLevel.SEVERE]).count(),
        "follow_ups_due": follow_ups,
        "key_dates_week": key_dates,
        "can_see_caseload": user.can(Capability.MANAGE_BRANCH) or user.can(Capability.ALL_BRANCHES),
    }
