"""The campaigns screens, one module a subject. The directory's organisation
pages are ngo.directory.views; campaigns adds its panel to them
(campaigns.organisation_panels)."""

from campaigns.views.campaigns import (
    action_edit,
    action_file_download,
    action_file_upload,
    action_new,
    campaign_detail,
    campaign_edit,
    campaign_new,
    demand_edit,
    demand_new,
    demand_remove,
    index,
)
from campaigns.views.coalitions import (
    coalition_detail,
    coalition_edit,
    coalition_list,
    coalition_new,
    membership_edit,
    membership_end,
)
from campaigns.views.network import network
from campaigns.views.sign_ons import (
    sign_on_detail,
    sign_on_edit,
    sign_on_new,
    signatories_csv,
    signatories_xlsx,
    signatory_remove,
)
from campaigns.views.tasks import task_edit, task_list, task_new, task_toggle

__all__ = [
    "action_edit",
    "action_file_download",
    "action_file_upload",
    "action_new",
    "campaign_detail",
    "campaign_edit",
    "campaign_new",
    "coalition_detail",
    "coalition_edit",
    "coalition_list",
    "coalition_new",
    "demand_edit",
    "demand_new",
    "demand_remove",
    "index",
    "membership_edit",
    "membership_end",
    "network",
    "sign_on_detail",
    "sign_on_edit",
    "sign_on_new",
    "signatories_csv",
    "signatories_xlsx",
    "signatory_remove",
    "task_edit",
    "task_list",
    "task_new",
    "task_toggle",
]
