"""Volume data: campaigns over the years, each with its actions."""

from __future__ import annotations

from datetime import timedelta

from campaigns.models import ActionType, Campaign, CampaignAction, CampaignStatus, CampaignType
from ngo.accounts.roles import Role
from ngo.volume import weighted

ORDER = 50

TYPES = {
    CampaignType.LAW_REFORM: 30,
    CampaignType.POLICY_CHANGE: 25,
    CampaignType.RIGHTS_AWARENESS: 20,
    CampaignType.INTERNATIONAL: 15,
    CampaignType.SOLIDARITY: 10,
}
ENDED = {CampaignStatus.WON: 20, CampaignStatus.PARTLY_WON: 30, CampaignStatus.LOST: 30}
ENDED[CampaignStatus.SUSPENDED] = 20


def seed(plan) -> None:
    rng, writer, today = plan.rng, plan.writer, plan.today
    coordinators = plan.made["staff"][plan.made["head_office"]][Role.CAMPAIGN_COORDINATOR]
    leads = plan.made["organisation_ids"]
    span = 365 * plan.volume.years
    campaigns, actions = [], []
    for campaign_id in writer.ids(Campaign, plan.volume.campaigns):
        starts = today - timedelta(days=rng.randint(0, span))
        ends = starts + timedelta(days=rng.randint(60, 900))
        status = weighted(rng, ENDED) if ends < today else CampaignStatus.ACTIVE
        campaigns.append(
            writer.row(
                Campaign,
                id=campaign_id,
                title=f"Campaign {campaign_id}",
                goal="Change the rule that ties her residence to her husband.",
                campaign_type=weighted(rng, TYPES),
                status=status,
                lead_organisation_id=rng.choice(leads) if leads else None,
                starts_on=starts,
                ends_on=ends,
                created_by_id=rng.choice(coordinators),
                created_at=plan.moment(starts, starts),
                updated_at=plan.moment(starts, starts),
            )
        )
        for _ in range(rng.randint(2, 8)):
            occurred = plan.day(starts, min(ends, today))
            actions.append(
                writer.row(
                    CampaignAction,
                    campaign_id=campaign_id,
                    action_type=rng.choice(ActionType.values),
                    title=f"Action of campaign {campaign_id}",
                    occurred_on=occurred,
                    participants=rng.randint(0, 300),
                    links=[],
                    created_by_id=rng.choice(coordinators),
                    created_at=plan.moment(occurred, occurred),
                )
            )
    writer.insert(Campaign, campaigns)
    writer.add(CampaignAction, actions)
