"""Campaign records: every member of staff with the campaigns capability reads
them (volunteers included); coordinators (WRITE_CAMPAIGNS) write them."""

from django.db.models import Q

from campaigns.models import (
    ActionFile,
    Campaign,
    CampaignAction,
    CampaignTask,
    Coalition,
    Demand,
    Membership,
    Signatory,
    SignOn,
)
from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability


def campaign_record_rule(user, need: Need) -> Q | None:
    if need is Need.WRITE:
        return Q() if user.can(Capability.WRITE_CAMPAIGNS) else None
    if user.can(Capability.READ_CAMPAIGNS):
        return Q()
    return None


for _model in (
    Coalition,
    Membership,
    Campaign,
    Demand,
    CampaignAction,
    ActionFile,
    SignOn,
    Signatory,
    CampaignTask,
):
    access.rule(_model)(campaign_record_rule)
