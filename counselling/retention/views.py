"""Screens of retention: the rules (administrators), the legal holds of a
client (her branch's managers, administrators), the destruction batches and
their review, and the destruction records (administrators, auditors). Who may
open each is the route catalogue's gate (access_rules.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counselling.models import Client
from counselling.retention import selectors, services
from counselling.retention.forms import ExcludeForm, HoldForm, ProposeForm, RuleForm
from counselling.retention.models import BatchStatus, DestructionBatch
from ngo import access
from ngo.access import Need
from ngo.access.views import record_form_view, route_gate
from ngo.accounts.models import Branch
from ngo.accounts.roles import Capability
from ngo.lib.forms import add_service_errors, version_of

AREA = "retention"


def _gate(name):
    return route_gate(f"retention:{name}", area=AREA)


@_gate("rule_list")
def rule_list(request):
    rules = selectors.rule_list(user=request.user)
    return render(
        request,
        "retention/rule_list.html",
        {"rules": rules, "can_edit": request.user.can(Capability.MANAGE_STAFF)},
    )


@_gate("rule_edit")
def rule_edit(request, pk: int):
    user = request.user
    return record_form_view(
        request,
        read=lambda: selectors.rule_for_user(user=user, pk=pk, need=Need.WRITE),
        bind=lambda rule: RuleForm(
            request.POST or None, initial={"years": rule.years, "version": rule.version}
        ),
        save=lambda form, rule: services.rule_update(
            actor=user,
            rule=rule,
            years=form.cleaned_data["years"],
            expected_version=version_of(form),
        ),
        saved=lambda rule: redirect("retention:rule_list"),
        page=lambda form, rule: render(
            request, "retention/rule_form.html", {"form": form, "rule": rule}
        ),
        message=_("The retention period was saved."),
    )


@_gate("client_holds")
def client_holds(request, pk: int):
    user = request.user
    need = Need.WRITE if request.method == "POST" else Need.READ
    client = access.get_for_user(user, Client, pk, need)
    cases = list(selectors.client_cases(user=user, client=client))
    form = HoldForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        try:
            services.hold_set(
                actor=user,
                client=client,
                case=form.chosen_case(),
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The legal hold is set: nothing of hers is destroyed."))
            return redirect("retention:client_holds", client.pk)
    return render(
        request,
        "retention/client_holds.html",
        {
            "client": client,
            "holds": selectors.hold_list(user=user, client=client),
            "form": form,
            "may_hold": services.may_hold(user, client),
        },
    )


@_gate("hold_release")
@require_POST
def hold_release(request, pk: int):
    hold = selectors.hold_for_user(user=request.user, pk=pk, need=Need.WRITE)
    try:
        services.hold_release(actor=request.user, hold=hold)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The legal hold is released."))
    return redirect("retention:client_holds", hold.client_id)


def _proposable_branches(user):
    if user.can(Capability.MANAGE_STAFF):
        return Branch.objects.order_by("code")
    return Branch.objects.filter(pk__in=user.branch_ids()).order_by("code")


@_gate("batch_list")
def batch_list(request):
    user = request.user
    form = ProposeForm(request.POST or None, branches=_proposable_branches(user))
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_propose(branch=form.cleaned_data["branch"], actor=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if batch is None:
                messages.info(request, _("Nothing is due for destruction at this branch."))
                return redirect("retention:batch_list")
            messages.success(request, _("The batch is proposed for review."))
            return redirect("retention:batch_detail", batch.pk)
    return render(
        request,
        "retention/batch_list.html",
        {"batches": selectors.batch_list(user=user), "form": form},
    )


@_gate("batch_detail")
def batch_detail(request, pk: int):
    batch = selectors.batch_for_user(user=request.user, pk=pk)
    return render(
        request,
        "retention/batch_detail.html",
        {
            "batch": batch,
            "items": selectors.batch_items(batch=batch),
            "under_review": batch.status == BatchStatus.PROPOSED,
            "exclude_form": ExcludeForm(),
        },
    )


@_gate("batch_approve")
@require_POST
def batch_approve(request, pk: int):
    batch = selectors.batch_for_user(user=request.user, pk=pk, need=Need.WRITE)
    try:
        services.batch_approve(actor=request.user, batch=batch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Approved: the destruction is being carried out."))
    return redirect("retention:batch_detail", batch.pk)


@_gate("item_exclude")
@require_POST
def item_exclude(request, pk: int, item_id: int):
    batch: DestructionBatch = selectors.batch_for_user(user=request.user, pk=pk, need=Need.WRITE)
    item = selectors.item_of(batch=batch, item_id=item_id)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for excluding it."))
        return redirect("retention:batch_detail", batch.pk)
    try:
        services.item_exclude(actor=request.user, item=item, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The item is excluded from this batch."))
    return redirect("retention:batch_detail", batch.pk)


@_gate("record_list")
def record_list(request):
    return render(
        request, "retention/record_list.html", {"records": selectors.record_list(user=request.user)}
    )


@_gate("record_detail")
def record_detail(request, pk: int):
    record = selectors.record_for_user(user=request.user, pk=pk)
    return render(request, "retention/record_detail.html", {"record": record})
