"""Campaign tasks: the forms, marking one done (htmx), the open-task list."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import forms, selectors, services
from campaigns.models import Campaign
from campaigns.views.common import (
    child_form_view,
    copy_of,
    edit_fields,
    form_fields,
    page_of,
    reads_campaigns,
    writer,
)
from ngo import access
from ngo.access import Need


@reads_campaigns
@require_http_methods(["GET", "POST"])
def task_new(request, pk: int):
    campaign = access.get_for_user(request.user, Campaign, pk, Need.WRITE)
    form = forms.TaskForm(request.POST or None, initial={"assignee": request.user.pk})
    return child_form_view(
        request,
        campaign=campaign,
        form=form,
        save=lambda data: services.task_add(
            actor=request.user, campaign=campaign, **form_fields(form, data)
        ),
        title=_("New task"),
        anchor="#tasks",
    )


@reads_campaigns
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = selectors.task_get(user=request.user, pk=pk)
    form = forms.TaskForm(request.POST or None, instance=copy_of(task))
    return child_form_view(
        request,
        campaign=task.campaign,
        form=form,
        save=lambda data: services.task_update(
            actor=request.user, task=task, **edit_fields(form, data)
        ),
        title=_("Edit the task"),
        anchor="#tasks",
    )


@reads_campaigns
@require_POST
def task_toggle(request, pk: int):
    """Mark a task done (or not). With htmx, answers the task's row."""
    task = selectors.task_get(user=request.user, pk=pk)
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
    tasks = selectors.open_tasks(user=request.user, mine=request.GET.get("mine") == "1")
    today = timezone.localdate()
    page = page_of(request, tasks)
    for task in page:
        task.overdue = task.due_on is not None and task.due_on < today
    return render(
        request,
        "campaigns/task_list.html",
        {"page": page, "mine": request.GET.get("mine") == "1", "can_write": writer(request.user)},
    )
