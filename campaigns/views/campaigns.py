"""Campaign screens: the list, a campaign's page with its timeline, and the
forms for a campaign, its demands, actions and action files."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import forms, selectors, services
from campaigns.filters import CampaignFilter
from campaigns.models import (
    ActionFile,
    Campaign,
    CampaignStatus,
    CampaignType,
    Coalition,
    Demand,
)
from campaigns.views.common import (
    child_form_view,
    copy_of,
    edit_fields,
    form_fields,
    form_page,
    page_of,
    querystring,
    reads_campaigns,
    writer,
)
from ngo import access
from ngo.access import Need
from ngo.access.views import record_form_view, record_to_write


@reads_campaigns
@require_GET
def index(request):
    """The campaign list with filters."""
    filterset = CampaignFilter(request.GET, queryset=selectors.campaign_list(user=request.user))
    campaigns = (
        filterset.qs if filterset.is_valid() else selectors.campaign_list(user=request.user).none()
    )
    return render(
        request,
        "campaigns/index.html",
        {
            "page": page_of(request, campaigns),
            "filter": filterset,
            "statuses": CampaignStatus.choices,
            "types": CampaignType.choices,
            "coalitions": access.scope(request.user, Coalition).order_by("name_ko", "name_en"),
            "query": querystring(request),
            "can_write": writer(request.user),
        },
    )


def _campaign_form_view(request, pk: int | None):
    user = request.user
    return record_form_view(
        request,
        read=lambda: record_to_write(user, Campaign, pk),
        bind=lambda campaign: forms.CampaignForm(request.POST or None, instance=copy_of(campaign)),
        save=lambda form, campaign: (
            services.campaign_update(
                actor=user, campaign=campaign, **edit_fields(form, form.cleaned_data)
            )
            if campaign
            else services.campaign_create(actor=user, **form_fields(form, form.cleaned_data))
        ),
        saved=lambda campaign: redirect("campaigns:campaign_detail", campaign.pk),
        page=lambda form, campaign: form_page(
            request,
            form,
            title=_("Edit the campaign") if campaign else _("New campaign"),
            cancel=reverse("campaigns:campaign_detail", args=[campaign.pk])
            if campaign
            else reverse("campaigns:index"),
        ),
        message=_("The campaign was saved."),
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    return _campaign_form_view(request, None)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    return _campaign_form_view(request, pk)


@reads_campaigns
@require_GET
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    parts = selectors.campaign_detail_parts(user=request.user, campaign=campaign)
    today = timezone.localdate()
    for task in parts["tasks"]:
        task.overdue = not task.done and task.due_on is not None and task.due_on < today
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            **parts,
            "timeline": selectors.campaign_timeline(campaign=campaign, actions=parts["actions"]),
            "can_write": writer(request.user),
            "today": today,
        },
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def demand_new(request, pk: int):
    campaign = access.get_for_user(request.user, Campaign, pk, Need.WRITE)
    form = forms.DemandForm(request.POST or None)
    return child_form_view(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.demand_add(
            actor=request.user, campaign=campaign, **form_fields(form, data)
        ),
        title=_("New demand"),
        anchor="#demands",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def demand_edit(request, pk: int):
    demand = selectors.demand_get(user=request.user, pk=pk)
    form = forms.DemandForm(request.POST or None, instance=copy_of(demand))
    return child_form_view(
        request,
        campaign=demand.campaign,
        form=form,
        save=lambda data: services.demand_update(
            actor=request.user, demand=demand, **edit_fields(form, data)
        ),
        title=_("Edit the demand"),
        anchor="#demands",
    )


@reads_campaigns
@require_POST
def demand_remove(request, pk: int):
    demand = access.get_for_user(request.user, Demand, pk, Need.WRITE)
    campaign_id = demand.campaign_id
    services.demand_remove(actor=request.user, demand=demand)
    messages.success(request, _("The demand was removed."))
    return redirect(reverse("campaigns:campaign_detail", args=[campaign_id]) + "#demands")


@reads_campaigns
@require_http_methods(["GET", "POST"])
def action_new(request, pk: int):
    campaign = access.get_for_user(request.user, Campaign, pk, Need.WRITE)
    form = forms.ActionForm(request.POST or None, initial={"occurred_on": timezone.localdate()})

    def save(data):
        values = form_fields(form, data)
        organisations = list(values.pop("organisations"))
        services.action_record(
            actor=request.user, campaign=campaign, organisations=organisations, **values
        )

    return child_form_view(
        request, campaign=campaign, form=form, save=save, title=_("New action"), anchor="#timeline"
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk)
    form = forms.ActionForm(request.POST or None, instance=copy_of(action))

    def save(data):
        values = edit_fields(form, data)
        organisations = list(values.pop("organisations"))
        services.action_update(
            actor=request.user, action=action, organisations=organisations, **values
        )

    return child_form_view(
        request,
        campaign=action.campaign,
        form=form,
        save=save,
        title=_("Edit the action"),
        anchor=f"#action-{action.pk}",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def action_file_upload(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk)
    form = forms.ActionFileForm(request.POST or None, request.FILES or None)
    return child_form_view(
        request,
        campaign=action.campaign,
        form=form,
        save=lambda data: services.action_file_upload(
            actor=request.user, action=action, uploaded_file=data["file"], title=data["title"]
        ),
        title=_("Add a file to %(action)s") % {"action": action.title},
        anchor=f"#action-{action.pk}",
    )


@reads_campaigns
@require_GET
def action_file_download(request, pk: int):
    stored = access.get_for_user(request.user, ActionFile, pk)  # audited read
    response = HttpResponse(services.action_file_content(stored), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=stored.original_name
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
