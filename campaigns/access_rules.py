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
from ngo.access import Need, routes
from ngo.accounts.roles import Capability
from ngo.directory.models import ContactPerson, Organisation


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


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads = routes.has(Capability.READ_CAMPAIGNS)


def _page(record=None):
    return routes.page(gate=_reads, record=record)


def _form(record=None, **options):
    return routes.form(gate=_reads, record=record, **options)


def _action(record):
    return routes.action(gate=_reads, record=record)


def _moved(record=None):
    """An old address of a directory page: a permanent redirect, for anyone."""
    return routes.Route(public=True, record=record, methods=routes.READ_ONLY)


routes.register(
    {
        "campaigns:index": _page(),
        "campaigns:campaign_new": _form(creates=Campaign),
        "campaigns:campaign_detail": _page(Campaign),
        "campaigns:campaign_edit": _form(Campaign),
        "campaigns:demand_new": _form(Campaign),
        "campaigns:action_new": _form(Campaign),
        "campaigns:sign_on_new": _form(Campaign),
        "campaigns:task_new": _form(Campaign),
        "campaigns:demand_edit": _form(Demand),
        "campaigns:demand_remove": _action(Demand),
        "campaigns:action_edit": _form(CampaignAction),
        "campaigns:action_file_upload": _form(CampaignAction),
        "campaigns:action_file_download": _page(ActionFile),
        "campaigns:sign_on_detail": routes.page_with_forms(gate=_reads, record=SignOn),
        "campaigns:sign_on_edit": _form(SignOn),
        "campaigns:signatories_csv": _page(SignOn),
        "campaigns:signatories_xlsx": _page(SignOn),
        "campaigns:signatory_remove": _action(Signatory),
        "campaigns:task_list": _page(),
        "campaigns:task_edit": _form(CampaignTask),
        "campaigns:task_toggle": _action(CampaignTask),
        "campaigns:coalition_list": _page(),
        "campaigns:coalition_new": _form(creates=Coalition),
        "campaigns:coalition_detail": routes.page_with_forms(gate=_reads, record=Coalition),
        "campaigns:coalition_edit": _form(Coalition),
        "campaigns:membership_edit": _form(Membership),
        "campaigns:membership_end": _action(Membership),
        "campaigns:network": _page(),
        "campaigns:moved_organisation_list": _moved(),
        "campaigns:moved_organisation_new": _moved(),
        "campaigns:moved_organisation_import": _moved(),
        "campaigns:moved_organisation_detail": _moved(Organisation),
        "campaigns:moved_organisation_edit": _moved(Organisation),
        "campaigns:moved_contact_new": _moved(Organisation),
        "campaigns:moved_contact_edit": _moved(ContactPerson),
        # The API.
        "api:coalition-list": routes.api_list(Coalition),
        "api:coalition-detail": routes.api_detail(Coalition),
        "api:membership-list": routes.api_list(Membership, on_parent=True),
        "api:membership-detail": routes.api_detail(Membership),
        "api:membership-end": routes.api_action(Membership),
        "api:campaign-list": routes.api_list(Campaign),
        "api:campaign-network": routes.api_action(method="GET", record=False),
        "api:campaign-detail": routes.api_detail(Campaign),
        "api:demand-list": routes.api_list(Demand, on_parent=True),
        "api:demand-detail": routes.api_detail(Demand, write=("PATCH", "DELETE")),
        "api:campaign-action-list": routes.api_list(CampaignAction, on_parent=True),
        "api:campaign-action-detail": routes.api_detail(CampaignAction),
        "api:action-file-list": routes.api_list(ActionFile, on_parent=True),
        "api:action-file-detail": routes.api_detail(ActionFile, write=()),
        "api:action-file-download": routes.api_action(ActionFile, method="GET"),
        "api:sign-on-list": routes.api_list(SignOn, on_parent=True),
        "api:sign-on-detail": routes.api_detail(SignOn),
        "api:sign-on-signatories-csv": routes.api_action(SignOn, method="GET"),
        "api:sign-on-signatories-xlsx": routes.api_action(SignOn, method="GET"),
        "api:signatory-list": routes.api_list(Signatory, on_parent=True),
        "api:signatory-detail": routes.api_detail(Signatory, write=("DELETE",)),
        "api:campaign-task-list": routes.api_list(CampaignTask, on_parent=True),
        "api:campaign-task-detail": routes.api_detail(CampaignTask),
    }
)
