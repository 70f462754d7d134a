"""The campaigns screens, and the directory's organisation pages (which show
everything done with a partner). Thin views: read through campaigns.selectors
and ngo.lib.access (detail reads are audited there), write through the
services, re-render the form on a ValidationError."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import exports, forms, selectors, services
from campaigns.filters import CampaignFilter
from campaigns.models import (
    ActionFile,
    Campaign,
    CampaignAction,
    CampaignStatus,
    CampaignTask,
    CampaignType,
    Coalition,
    Demand,
    Membership,
    Signatory,
    SignOn,
)
from ngo.accounts.roles import Capability
from ngo.directory import services as directory_services
from ngo.directory.access_rules import sees_contact_details
from ngo.directory.filters import OrganisationFilter
from ngo.directory.models import (
    AuthorityType,
    ContactPerson,
    Organisation,
    OrganisationKind,
    Tag,
)
from ngo.lib import access
from ngo.lib.access import Need
from ngo.lib.views import capability_required

AREA = "campaigns"
PAGE_SIZE = 30

reads_campaigns = capability_required(Capability.READ_CAMPAIGNS, area=AREA)


def _writer(user) -> bool:
    return user.can(Capability.WRITE_CAMPAIGNS)


def _form_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: on the field it names, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _copy(obj):
    """Bind an edit form to a copy: the service compares against the record."""
    return copy.copy(obj)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _querystring(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- Campaigns ---------------------------------------------------------------------------------


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
            "page": _page(request, campaigns),
            "filter": filterset,
            "statuses": CampaignStatus.choices,
            "types": CampaignType.choices,
            "coalitions": access.scope(request.user, Coalition).order_by("name_ko", "name_en"),
            "query": _querystring(request),
            "can_write": _writer(request.user),
        },
    )


def _campaign_form_view(request, campaign: Campaign | None):
    form = forms.CampaignForm(request.POST or None, instance=_copy(campaign) if campaign else None)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if campaign is None:
                campaign = services.campaign_create(actor=request.user, **values)
            else:
                services.campaign_update(actor=request.user, campaign=campaign, **values)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The campaign was saved."))
            return redirect("campaigns:campaign_detail", campaign.pk)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Edit the campaign") if campaign else _("New campaign"),
            "cancel": reverse("campaigns:campaign_detail", args=[campaign.pk])
            if campaign
            else reverse("campaigns:index"),
        },
        status=400 if form.errors else 200,
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    access.require_create(request.user, Campaign)
    return _campaign_form_view(request, None)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def campaign_edit(request, pk: int):
    campaign = access.get_for_user(request.user, Campaign, pk, Need.WRITE)
    return _campaign_form_view(request, campaign)


@reads_campaigns
@require_GET
def campaign_detail(request, pk: int):
    campaign = access.get_for_user(
        request.user, Campaign.objects.select_related("coalition", "lead_organisation"), pk
    )
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
            "can_write": _writer(request.user),
            "today": today,
        },
    )


# --- Things on a campaign: demands, actions, sign-ons, tasks ----------------------------------


def _child_form_view(request, *, campaign, form, save, title, anchor):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("campaigns:campaign_detail", args=[campaign.pk]) + anchor)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": title,
            "campaign": campaign,
            "cancel": reverse("campaigns:campaign_detail", args=[campaign.pk]) + anchor,
            "multipart": form.is_multipart(),
        },
        status=400 if form.errors else 200,
    )


def _fields(form, cleaned):
    return {k: cleaned[k] for k in form.Meta.fields if k in cleaned}


@reads_campaigns
@require_http_methods(["GET", "POST"])
def demand_new(request, pk: int):
    campaign = access.get_for_user(request.user, Campaign, pk, Need.WRITE)
    form = forms.DemandForm(request.POST or None)
    return _child_form_view(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.demand_add(
            actor=request.user, campaign=campaign, **_fields(form, data)
        ),
        title=_("New demand"),
        anchor="#demands",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def demand_edit(request, pk: int):
    demand = access.get_for_user(
        request.user, Demand.objects.select_related("campaign"), pk, Need.WRITE
    )
    form = forms.DemandForm(request.POST or None, instance=_copy(demand))
    return _child_form_view(
        request,
        campaign=demand.campaign,
        form=form,
        save=lambda data: services.demand_update(
            actor=request.user, demand=demand, **_fields(form, data)
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
        values = _fields(form, data)
        organisations = list(values.pop("organisations"))
        services.action_record(
            actor=request.user, campaign=campaign, organisations=organisations, **values
        )

    return _child_form_view(
        request, campaign=campaign, form=form, save=save, title=_("New action"), anchor="#timeline"
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def action_edit(request, pk: int):
    action = access.get_for_user(
        request.user, CampaignAction.objects.select_related("campaign"), pk, Need.WRITE
    )
    form = forms.ActionForm(request.POST or None, instance=_copy(action))

    def save(data):
        values = _fields(form, data)
        organisations = list(values.pop("organisations"))
        services.action_update(
            actor=request.user, action=action, organisations=organisations, **values
        )

    return _child_form_view(
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
    action = access.get_for_user(
        request.user, CampaignAction.objects.select_related("campaign"), pk, Need.WRITE
    )
    form = forms.ActionFileForm(request.POST or None, request.FILES or None)
    return _child_form_view(
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


@reads_campaigns
@require_http_methods(["GET", "POST"])
def sign_on_new(request, pk: int):
    campaign = access.get_for_user(request.user, Campaign, pk, Need.WRITE)
    form = forms.SignOnForm(request.POST or None)
    return _child_form_view(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.sign_on_create(
            actor=request.user, campaign=campaign, **_fields(form, data)
        ),
        title=_("New sign-on letter or petition"),
        anchor="#sign-ons",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def sign_on_edit(request, pk: int):
    sign_on = access.get_for_user(
        request.user, SignOn.objects.select_related("campaign"), pk, Need.WRITE
    )
    form = forms.SignOnForm(request.POST or None, instance=_copy(sign_on))
    return _child_form_view(
        request,
        campaign=sign_on.campaign,
        form=form,
        save=lambda data: services.sign_on_update(
            actor=request.user, sign_on=sign_on, **_fields(form, data)
        ),
        title=_("Edit the sign-on"),
        anchor="#sign-ons",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def sign_on_detail(request, pk: int):
    """The text, the signatories and, for coordinators, adding one."""
    sign_on = access.get_for_user(
        request.user,
        SignOn.objects.select_related("campaign", "addressed_to"),
        pk,
        Need.READ,
        audit_read=request.method == "GET",
    )
    can_write = access.can(request.user, sign_on, Need.WRITE)
    form = forms.SignatoryForm(request.POST or None, sign_on=sign_on) if can_write else None
    if request.method == "POST":
        if not can_write:
            access.get_for_user(request.user, SignOn, pk, Need.WRITE)  # 403, audited
        if form.is_valid():
            try:
                services.signatory_add(
                    actor=request.user,
                    sign_on=sign_on,
                    organisation=form.cleaned_data["organisation"],
                    signed_on=form.cleaned_data["signed_on"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The signature was added."))
                return redirect("campaigns:sign_on_detail", sign_on.pk)
    signatories = (
        access.scope(request.user, Signatory)
        .filter(sign_on=sign_on)
        .select_related("organisation")
        .order_by("organisation__name_ko", "organisation__name_en")
    )
    return render(
        request,
        "campaigns/sign_on_detail.html",
        {
            "sign_on": sign_on,
            "signatories": signatories,
            "form": form,
            "can_write": can_write,
        },
        status=400 if form is not None and form.errors else 200,
    )


@reads_campaigns
@require_POST
def signatory_remove(request, pk: int):
    signatory = access.get_for_user(request.user, Signatory, pk, Need.WRITE)
    sign_on_id = signatory.sign_on_id
    services.signatory_remove(actor=request.user, signatory=signatory)
    messages.success(request, _("The signature was removed."))
    return redirect("campaigns:sign_on_detail", sign_on_id)


@reads_campaigns
@require_GET
def signatories_csv(request, pk: int):
    sign_on = access.get_for_user(request.user, SignOn, pk, audit_read=False)
    return exports.signatories_csv(actor=request.user, sign_on=sign_on)


@reads_campaigns
@require_GET
def signatories_xlsx(request, pk: int):
    sign_on = access.get_for_user(request.user, SignOn, pk, audit_read=False)
    return exports.signatories_xlsx(actor=request.user, sign_on=sign_on)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def task_new(request, pk: int):
    campaign = access.get_for_user(request.user, Campaign, pk, Need.WRITE)
    form = forms.TaskForm(request.POST or None, initial={"assignee": request.user.pk})
    return _child_form_view(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.task_add(
            actor=request.user, campaign=campaign, **_fields(form, data)
        ),
        title=_("New task"),
        anchor="#tasks",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = access.get_for_user(
        request.user, CampaignTask.objects.select_related("campaign"), pk, Need.WRITE
    )
    form = forms.TaskForm(request.POST or None, instance=_copy(task))
    return _child_form_view(
        request,
        campaign=task.campaign,
        form=form,
        save=lambda data: services.task_update(
            actor=request.user, task=task, **_fields(form, data)
        ),
        title=_("Edit the task"),
        anchor="#tasks",
    )


@reads_campaigns
@require_POST
def task_toggle(request, pk: int):
    """Mark a task done (or not). With htmx, answers the task's row."""
    task = access.get_for_user(
        request.user, CampaignTask.objects.select_related("campaign", "assignee"), pk, Need.WRITE
    )
    services.task_set_done(actor=request.user, task=task, done=request.POST.get("done") == "1")
    if request.headers.get("HX-Request"):
        today = timezone.localdate()
        task.overdue = not task.done and task.due_on is not None and task.due_on < today
        return render(request, "campaigns/_task_row.html", {"task": task, "can_write": True})
    return redirect(reverse("campaigns:campaign_detail", args=[task.campaign_id]) + "#tasks")


@reads_campaigns
@require_GET
def task_list(request):
    """Open tasks of every campaign, the ones due first; ?mine=1 for mine."""
    tasks = (
        access.scope(request.user, CampaignTask)
        .filter(done=False)
        .select_related("campaign", "assignee")
        .order_by("due_on", "id")
    )
    if request.GET.get("mine") == "1":
        tasks = tasks.filter(assignee=request.user)
    today = timezone.localdate()
    page = _page(request, tasks)
    for task in page:
        task.overdue = task.due_on is not None and task.due_on < today
    return render(
        request,
        "campaigns/task_list.html",
        {"page": page, "mine": request.GET.get("mine") == "1", "can_write": _writer(request.user)},
    )


# --- Coalitions ------------------------------------------------------------------------------


@reads_campaigns
@require_GET
def coalition_list(request):
    coalitions = selectors.coalition_list(user=request.user)
    q = request.GET.get("q", "").strip()
    if q:
        coalitions = coalitions.filter(Q(name_ko__icontains=q) | Q(name_en__icontains=q))
    return render(
        request,
        "campaigns/coalition_list.html",
        {"page": _page(request, coalitions), "q": q, "can_write": _writer(request.user)},
    )


def _coalition_form_view(request, coalition: Coalition | None):
    form = forms.CoalitionForm(
        request.POST or None, instance=_copy(coalition) if coalition else None
    )
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if coalition is None:
                coalition = services.coalition_create(actor=request.user, **values)
            else:
                services.coalition_update(actor=request.user, coalition=coalition, **values)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The coalition was saved."))
            return redirect("campaigns:coalition_detail", coalition.pk)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Edit the coalition") if coalition else _("New coalition"),
            "cancel": reverse("campaigns:coalition_detail", args=[coalition.pk])
            if coalition
            else reverse("campaigns:coalition_list"),
        },
        status=400 if form.errors else 200,
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def coalition_new(request):
    access.require_create(request.user, Coalition)
    return _coalition_form_view(request, None)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def coalition_edit(request, pk: int):
    return _coalition_form_view(
        request, access.get_for_user(request.user, Coalition, pk, Need.WRITE)
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def coalition_detail(request, pk: int):
    """Members now and before, the campaigns run through it; coordinators add members."""
    coalition = access.get_for_user(
        request.user, Coalition, pk, Need.READ, audit_read=request.method == "GET"
    )
    can_write = access.can(request.user, coalition, Need.WRITE)
    form = None
    if can_write:
        form = forms.MembershipForm(
            request.POST or None, initial={"joined_on": timezone.localdate()}, prefix="member"
        )
    if request.method == "POST":
        if not can_write:
            access.get_for_user(request.user, Coalition, pk, Need.WRITE)  # 403, audited
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                services.membership_add(
                    actor=request.user,
                    coalition=coalition,
                    organisation=values.pop("organisation"),
                    **values,
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The member was added."))
                return redirect("campaigns:coalition_detail", coalition.pk)
    memberships = list(selectors.coalition_memberships(user=request.user, coalition=coalition))
    campaigns = access.scope(request.user, Campaign).filter(coalition=coalition)
    return render(
        request,
        "campaigns/coalition_detail.html",
        {
            "coalition": coalition,
            "current": [m for m in memberships if m.left_on is None],
            "former": [m for m in memberships if m.left_on is not None],
            "campaigns": campaigns,
            "form": form,
            "end_form": forms.MembershipEndForm(initial={"left_on": timezone.localdate()}),
            "can_write": can_write,
        },
        status=400 if form is not None and form.errors else 200,
    )


@reads_campaigns
@require_POST
def membership_end(request, pk: int):
    membership = access.get_for_user(request.user, Membership, pk, Need.WRITE)
    form = forms.MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, left_on=form.cleaned_data["left_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The membership was ended; it stays in the history."))
    else:
        messages.error(request, _("Give the date the organisation left."))
    return redirect("campaigns:coalition_detail", membership.coalition_id)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def membership_edit(request, pk: int):
    membership = access.get_for_user(
        request.user, Membership.objects.select_related("coalition"), pk, Need.WRITE
    )
    form = forms.MembershipForm(request.POST or None, instance=_copy(membership))
    form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ("role", "joined_on", "left_on", "notes")}
        try:
            services.membership_update(actor=request.user, membership=membership, **values)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect("campaigns:coalition_detail", membership.coalition_id)
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Edit the membership"),
            "cancel": reverse("campaigns:coalition_detail", args=[membership.coalition_id]),
        },
        status=400 if form.errors else 200,
    )


# --- Organisations (the shared directory) ------------------------------------------------------


def _organisations(user):
    return access.scope(user, Organisation).prefetch_related(
        "tags",
        Prefetch(
            "contacts", queryset=ContactPerson.objects.filter(is_active=True).order_by("name")
        ),
    )


@reads_campaigns
@require_GET
def organisation_list(request):
    filterset = OrganisationFilter(request.GET, queryset=_organisations(request.user))
    organisations = filterset.qs if filterset.is_valid() else Organisation.objects.none()
    return render(
        request,
        "campaigns/organisation_list.html",
        {
            "page": _page(request, organisations.order_by("name_ko", "name_en", "pk")),
            "filter": filterset,
            "kinds": OrganisationKind.choices,
            "authorities": AuthorityType.choices,
            "tags": access.scope(request.user, Tag).order_by("name"),
            "query": _querystring(request),
            "can_write": request.user.can(Capability.WRITE_DIRECTORY),
            "sees_contact_details": sees_contact_details(request.user),
        },
    )


@reads_campaigns
@require_GET
def organisation_detail(request, pk: int):
    organisation = access.get_for_user(
        request.user,
        Organisation.objects.prefetch_related(
            "tags",
            Prefetch("contacts", queryset=ContactPerson.objects.order_by("-is_active", "name")),
        ),
        pk,
    )
    return render(
        request,
        "campaigns/organisation_detail.html",
        {
            "organisation": organisation,
            **selectors.organisation_partnership(user=request.user, organisation=organisation),
            "can_write": request.user.can(Capability.WRITE_DIRECTORY),
            "sees_contact_details": sees_contact_details(request.user),
        },
    )


def _organisation_form_view(request, organisation: Organisation | None):
    show_confirm = request.POST.get("confirm_shown") == "1"
    form = forms.OrganisationForm(
        request.POST or None,
        instance=_copy(organisation) if organisation else None,
        show_confirm=show_confirm,
    )
    matches = []
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        confirm = form.cleaned_data["confirm_duplicate"]
        try:
            if organisation is None:
                organisation = directory_services.organisation_create(
                    actor=request.user,
                    tags=form.cleaned_data["tags"],
                    confirm_duplicate=confirm,
                    **values,
                )
            else:
                directory_services.organisation_update(
                    actor=request.user,
                    organisation=organisation,
                    tags=form.cleaned_data["tags"],
                    confirm_duplicate=confirm,
                    **values,
                )
        except directory_services.PossibleDuplicateOrganisation as exc:
            matches = exc.matches
            form = forms.OrganisationForm(
                request.POST,
                instance=_copy(organisation) if organisation else None,
                show_confirm=True,
            )
            form.is_valid()
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("campaigns:organisation_detail", organisation.pk)
    return render(
        request,
        "campaigns/organisation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "matches": matches,
            "title": _("Edit the organisation") if organisation else _("New organisation"),
        },
        status=409 if matches else 400 if form.errors else 200,
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def organisation_new(request):
    access.require_create(request.user, Organisation)
    return _organisation_form_view(request, None)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk: int):
    organisation = access.get_for_user(request.user, Organisation, pk, Need.WRITE)
    return _organisation_form_view(request, organisation)


def _contact_form_view(request, organisation, contact: ContactPerson | None):
    form = forms.ContactForm(request.POST or None, instance=_copy(contact) if contact else None)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if contact is None:
                directory_services.contact_add(
                    actor=request.user, organisation=organisation, **values
                )
            else:
                directory_services.contact_update(actor=request.user, contact=contact, **values)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The contact person was saved."))
            return redirect(
                reverse("campaigns:organisation_detail", args=[organisation.pk]) + "#contacts"
            )
    return render(
        request,
        "campaigns/form.html",
        {
            "form": form,
            "title": _("Contact person at %(name)s") % {"name": organisation.name},
            "cancel": reverse("campaigns:organisation_detail", args=[organisation.pk]),
        },
        status=400 if form.errors else 200,
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def contact_new(request, pk: int):
    organisation = access.get_for_user(request.user, Organisation, pk, Need.WRITE)
    return _contact_form_view(request, organisation, None)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    contact = access.get_for_user(
        request.user, ContactPerson.objects.select_related("organisation"), pk, Need.WRITE
    )
    return _contact_form_view(request, contact.organisation, contact)


@reads_campaigns
@require_http_methods(["GET", "POST"])
def organisation_import(request):
    """Upload a CSV; answer the row-by-row report."""
    access.require_create(request.user, Organisation)
    form = forms.OrganisationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = directory_services.organisation_import(
            actor=request.user,
            content=upload.read(directory_services.IMPORT_MAX_BYTES + 1),
            confirm_duplicates=form.cleaned_data["confirm_duplicates"],
        )
    return render(
        request,
        "campaigns/organisation_import.html",
        {
            "form": form,
            "report": report,
            "columns": directory_services.IMPORT_COLUMNS,
        },
        status=400 if form.errors else 200,
    )


# --- Network view ----------------------------------------------------------------------------


@reads_campaigns
@require_GET
def network(request):
    """The graph is drawn in the browser (cytoscape) from the scoped JSON
    endpoint /api/v1/campaigns/network/."""
    countries = sorted(
        {
            code
            for code in access.scope(request.user, Organisation).values_list("country", flat=True)
        }
    )
    return render(
        request,
        "campaigns/network.html",
        {
            "coalitions": access.scope(request.user, Coalition).filter(is_active=True),
            "countries": countries,
            "data_url": reverse("api:campaign-network"),
        },
    )
