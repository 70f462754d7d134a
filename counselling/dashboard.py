"""The counselling panels of the home page: my caseload and what is due, and
for managers the branch's work over the last twelve months."""

from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from counselling import charts as selectors
from counselling.models import CaseEvent, CaseStatus, CounsellingSession, RiskLevel
from counselling.selectors import my_cases
from ngo import access
from ngo.accounts.roles import Capability
from ngo.lib import charts
from ngo.lib.dashboard import register, series_for

# Transfers between branches are counted by the app that records them.
TRANSFERS_CHART = "counselling.transfers"


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
    by_risk = selectors.my_open_cases_by_risk(user=user)
    due = selectors.my_follow_ups_due(user=user, today=today)
    return {
        "template": "dashboard/counselling.html",
        "open_cases": sum(by_risk.values()),
        "high_risk": by_risk[RiskLevel.HIGH] + by_risk[RiskLevel.SEVERE],
        "follow_ups_due": follow_ups,
        "key_dates_week": key_dates,
        "can_see_caseload": user.can(Capability.MANAGE_BRANCH) or user.can(Capability.ALL_BRANCHES),
        "follow_ups_week": due["sessions"],
        "follow_ups_week_total": sum(due["per_day"]),
        "charts": [
            charts.chart(
                key="my-risk",
                title=_("My open cases by risk level"),
                labels=RiskLevel.labels,
                series=[(_("open cases"), list(by_risk.values()))],
            ),
            charts.chart(
                key="my-follow-ups",
                title=_("Follow-ups due in the next 7 days"),
                labels=[formats.date_format(day, "D m-d") for day in due["days"]],
                series=[(_("follow-ups"), due["per_day"])],
            ),
        ],
    }


def _sees_branch_work(user) -> bool:
    return user.can(Capability.READ_CASES) and (
        user.can(Capability.MANAGE_BRANCH) or user.can(Capability.ALL_BRANCHES)
    )


def _category_chart(key, title, pairs, name):
    return charts.chart(
        key=key,
        title=title,
        labels=[label for label, _n in pairs],
        series=[(name, [n for _label, n in pairs])],
        horizontal=True,
    )


@register
def branch_work_panel(user):
    """Managers see their branches' work; head office (every branch) all of it."""
    if not _sees_branch_work(user):
        return None
    months = charts.month_starts(timezone.localdate())
    labels = charts.month_labels(months)
    new_cases = selectors.new_cases_per_month(user=user, months=months)
    sessions = selectors.sessions_by_mode_and_language(user=user, since=months[0])
    items = [
        charts.chart(
            key="branch-new-cases",
            title=_("New cases per month"),
            labels=labels,
            series=[(_("new cases"), charts.per_period(new_cases, months))],
        ),
        _category_chart(
            "branch-case-types",
            _("Open cases by case type"),
            selectors.open_cases_by_type(user=user),
            _("open cases"),
        ),
        _category_chart(
            "branch-session-modes",
            _("Sessions by mode, last 12 months"),
            sessions["mode"],
            _("sessions"),
        ),
        _category_chart(
            "branch-session-languages",
            _("Sessions by language, last 12 months"),
            sessions["language"],
            _("sessions"),
        ),
        _category_chart(
            "branch-referrals",
            _("Referrals by kind of organisation, last 12 months"),
            selectors.referrals_by_kind(user=user, since=months[0]),
            _("referrals"),
        ),
    ]
    transfers = series_for(TRANSFERS_CHART, user=user, months=months)
    if transfers:
        items.append(
            charts.chart(
                key="branch-transfers",
                title=_("Transfers in and out per month"),
                labels=labels,
                series=transfers,
            )
        )
    return {
        "template": "dashboard/branch_work.html",
        "all_branches": user.can(Capability.ALL_BRANCHES),
        "charts": items,
    }
