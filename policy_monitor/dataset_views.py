"""Screens of shadow-report statistics: the list, the form, the dataset page
(table, chart, status, exports) and the publish action. Every view is behind
READ_STATISTICS (404 otherwise); records come through dataset_access."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo.accounts.roles import Capability
from ngo.lib import access
from ngo.lib.access import Need
from ngo.lib.views import capability_required
from policy_monitor import dataset_selectors, dataset_services
from policy_monitor.dataset_exports import display_tables, header_block, small
from policy_monitor.dataset_forms import DatasetForm, add_service_errors
from policy_monitor.dataset_models import DatasetStatus, StatisticsDataset

AREA = "policy_monitor.statisticsdataset"
reads_statistics = capability_required(Capability.READ_STATISTICS, area=AREA)


@reads_statistics
def dataset_list(request):
    datasets, filterset = dataset_selectors.dataset_list(user=request.user, filters=request.GET)
    return render(
        request,
        "policy_monitor/datasets/list.html",
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
            dataset = dataset_services.dataset_create(actor=request.user, **form.dataset_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The dataset is saved; its tables are being generated."))
            return redirect("policy_monitor:dataset_detail", dataset.pk)
    return render(request, "policy_monitor/datasets/form.html", {"form": form})


@reads_statistics
def dataset_detail(request, pk: int):
    dataset = dataset_selectors.dataset_for_user(request.user, pk)
    tables = display_tables(dataset) if dataset.has_tables else []
    return render(
        request,
        "policy_monitor/datasets/detail.html",
        {
            "dataset": dataset,
            "header": header_block(dataset),
            "tables": tables,
            "chart": tables[0]["chart"] if tables else None,
            "counted": small(dataset.counted_clients, dataset.min_cell_size),
            "excluded": small(dataset.excluded_clients, dataset.min_cell_size),
            "can_write": access.can(request.user, dataset, Need.WRITE),
        },
    )


@reads_statistics
def dataset_status(request, pk: int):
    """Polled by the dataset page while the tables are generated; reloads the
    page once they are ready."""
    dataset = dataset_selectors.dataset_for_user(request.user, pk, audit_read=False)
    response = render(
        request, "policy_monitor/datasets/_status.html", {"dataset": dataset, "polling": True}
    )
    if dataset.status != DatasetStatus.QUEUED:
        response["HX-Refresh"] = "true"
    return response


@reads_statistics
@require_POST
def dataset_generate(request, pk: int):
    dataset = dataset_selectors.dataset_for_user(request.user, pk, Need.WRITE)
    try:
        dataset_services.dataset_request_generation(actor=request.user, dataset=dataset)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The tables are being generated again."))
    return redirect("policy_monitor:dataset_detail", dataset.pk)


@reads_statistics
@require_POST
def dataset_publish(request, pk: int):
    dataset = dataset_selectors.dataset_for_user(request.user, pk, Need.WRITE)
    try:
        dataset_services.dataset_publish(actor=request.user, dataset=dataset)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The dataset is published."))
    return redirect("policy_monitor:dataset_detail", dataset.pk)


@reads_statistics
def dataset_export(request, pk: int, file_format: str):
    dataset = dataset_selectors.dataset_for_user(request.user, pk, audit_read=False)
    try:
        exported = dataset_services.dataset_export(
            actor=request.user, dataset=dataset, file_format=file_format
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("policy_monitor:dataset_detail", dataset.pk)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response
