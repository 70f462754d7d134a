"""Screens of shadow-report statistics: the list, the form, the dataset page
(table, chart, status, exports, the progress bar), the generate, cancel and
publish actions. Every view is behind READ_STATISTICS (404 otherwise);
records come through selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ngo import access
from ngo.access import Need
from ngo.access.views import capability_required
from ngo.accounts.roles import Capability
from ngo.audit.services import object_type_of
from ngo.lib import tabular
from ngo.lib.forms import add_service_errors
from policy_monitor.statistics import selectors, services
from policy_monitor.statistics.exports import display_tables, header_block, small
from policy_monitor.statistics.forms import DatasetForm
from policy_monitor.statistics.marks import legend
from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset

EXPORT_BUTTONS = [
    ("csv", "CSV"),
    ("xlsx", "Excel"),
    ("docx", "Word"),
    ("datapackage", gettext_lazy("Data Package")),
]

reads_statistics = capability_required(
    Capability.READ_STATISTICS, area=object_type_of(StatisticsDataset)
)


@reads_statistics
def dataset_list(request):
    datasets, filterset = selectors.dataset_list(user=request.user, filters=request.GET)
    return render(
        request,
        "statistics/list.html",
        {
            "datasets": datasets,
            "filterset": filterset,
            "statuses": DatasetStatus.choices,
            "can_create": request.user.can(Capability.WRITE_STATISTICS),
        },
    )


@reads_statistics
def dataset_create(request):
    access.require_create(request.user, StatisticsDataset)
    form = DatasetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.dataset_create(actor=request.user, **form.dataset_values())
        except ValidationError as exc:
            add_service_errors(form, exc, renames={"dimensions": "rows"})
        else:
            messages.success(request, _("The dataset is saved; its tables are being generated."))
            return redirect("statistics:dataset_detail", dataset.pk)
    return render(request, "statistics/form.html", {"form": form})


@reads_statistics
def dataset_detail(request, pk: int):
    dataset = selectors.dataset_for_user(user=request.user, pk=pk)
    tables = display_tables(dataset) if dataset.has_tables else []
    return render(
        request,
        "statistics/detail.html",
        {
            "dataset": dataset,
            "header": header_block(dataset),
            "tables": tables,
            "chart": tables[0]["chart"] if tables else None,
            "counted": small(dataset.counted_clients, dataset.min_cell_size),
            "excluded": small(dataset.excluded_clients, dataset.min_cell_size),
            "can_write": access.can(request.user, dataset, Need.WRITE),
            "export_formats": EXPORT_BUTTONS,
            "legend": legend(dataset.min_cell_size),
            **_progress_context(request, dataset),
        },
    )


@reads_statistics
def dataset_status(request, pk: int):
    """Polled by the dataset page while the tables are generated; reloads the
    page once they are ready."""
    dataset = selectors.dataset_for_user(user=request.user, pk=pk, audit_read=False)
    response = render(request, "statistics/_status.html", {"dataset": dataset, "polling": True})
    if dataset.status != DatasetStatus.QUEUED:
        response["HX-Refresh"] = "true"
    return response


def _progress_context(request, dataset: StatisticsDataset) -> dict:
    running = dataset.status == DatasetStatus.QUEUED
    return {
        "job": dataset,
        "running": running,
        "element_id": "dataset-progress",
        "poll_url": reverse("statistics:dataset_progress", args=[dataset.pk]),
        "cancel_url": reverse("statistics:dataset_cancel", args=[dataset.pk])
        if running and access.can(request.user, dataset, Need.WRITE)
        else "",
    }


@reads_statistics
def dataset_progress(request, pk: int):
    """The progress bar, polled by htmx every two seconds while the worker
    counts; reloads the page once the generation has ended."""
    dataset = selectors.dataset_for_user(user=request.user, pk=pk, audit_read=False)
    response = render(request, "includes/progress.html", _progress_context(request, dataset))
    if dataset.status != DatasetStatus.QUEUED:
        response["HX-Refresh"] = "true"
    return response


@reads_statistics
@require_POST
def dataset_cancel(request, pk: int):
    dataset = selectors.dataset_for_user(user=request.user, pk=pk, need=Need.WRITE)
    try:
        dataset = services.dataset_cancel_generation(actor=request.user, dataset=dataset)
    except services.NothingToCancel as exc:
        messages.error(request, str(exc))
    else:
        if dataset.status == DatasetStatus.DRAFT:
            messages.success(request, _("Generation cancelled"))
        else:
            messages.success(request, _("The generation is stopping."))
    return redirect("statistics:dataset_detail", dataset.pk)


@reads_statistics
@require_POST
def dataset_generate(request, pk: int):
    dataset = selectors.dataset_for_user(user=request.user, pk=pk, need=Need.WRITE)
    try:
        services.dataset_request_generation(actor=request.user, dataset=dataset)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The tables are being generated again."))
    return redirect("statistics:dataset_detail", dataset.pk)


@reads_statistics
@require_POST
def dataset_publish(request, pk: int):
    dataset = selectors.dataset_for_user(user=request.user, pk=pk, need=Need.WRITE)
    try:
        services.dataset_publish(actor=request.user, dataset=dataset)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The dataset is published."))
    return redirect("statistics:dataset_detail", dataset.pk)


@reads_statistics
def dataset_export(request, pk: int, file_format: str):
    dataset = selectors.dataset_for_user(user=request.user, pk=pk, audit_read=False)
    try:
        exported = services.dataset_export(
            actor=request.user, dataset=dataset, file_format=file_format
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("statistics:dataset_detail", dataset.pk)
    return tabular.attachment(
        HttpResponse(exported.content, content_type=exported.content_type), exported.filename
    )
