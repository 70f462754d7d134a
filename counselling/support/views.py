"""The services-given screens: add on the case page, change, cancel, and the
"what support cost" report for managers (screen and audited CSV)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling.models import Case
from counselling.support import forms, selectors, services
from ngo import access
from ngo.access import Need
from ngo.access.views import record_form_view, route_gate
from ngo.lib.forms import add_service_errors, version_of


def _gate(name):
    return route_gate(f"support:{name}", area="support")


def _to_case(case_id: int):
    return redirect(reverse("counselling:case_detail", args=[case_id]) + "#services-given")


@_gate("service_add")
@require_POST
def service_add(request, pk: int):
    user = request.user
    case = access.get_for_user(user, Case, pk, Need.WRITE)
    form = forms.ServiceForm(request.POST, user=user, prefix="service")
    if form.is_valid():
        try:
            services.service_add(actor=user, case=case, **form.service_values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The service is recorded."))
            return _to_case(case.pk)
    return render(request, "support/form.html", {"form": form, "case": case, "new": True})


@_gate("service_edit")
@require_http_methods(["GET", "POST"])
def service_edit(request, pk: int):
    user = request.user

    def save(form, service):
        return services.service_update(
            actor=user, service=service, expected_version=version_of(form), **form.service_values()
        )

    return record_form_view(
        request,
        read=lambda: selectors.service_get(user=user, pk=pk, need=Need.WRITE),
        bind=lambda service: forms.ServiceForm(request.POST or None, user=user, service=service),
        save=save,
        saved=lambda service: _to_case(service.case_id),
        page=lambda form, service: render(
            request, "support/form.html", {"form": form, "case": service.case, "service": service}
        ),
        message=_("The service is saved."),
    )


@_gate("service_cancel")
@require_POST
def service_cancel(request, pk: int):
    user = request.user
    service = selectors.service_get(user=user, pk=pk, need=Need.WRITE)
    try:
        services.service_cancel(actor=user, service=service)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The service is cancelled."))
    return _to_case(service.case_id)


def _report(request):
    form = forms.CostReportForm(request.GET or None, user=request.user)
    if not request.GET:
        form = forms.CostReportForm(
            {
                key: value.isoformat()
                for key, value in form.initial.items()
                if key in ("date_from", "date_until")
            },
            user=request.user,
        )
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = selectors.cost_report(
            user=request.user,
            date_from=data["date_from"],
            date_until=data["date_until"],
            branch=data.get("branch"),
        )
    return form, report


@_gate("cost_report")
@require_GET
def cost_report(request):
    form, report = _report(request)
    return render(
        request,
        "support/cost_report.html",
        {"form": form, "report": report, "query": request.GET.urlencode()},
    )


@_gate("cost_report_csv")
@require_GET
def cost_report_csv(request):
    form, report = _report(request)
    if report is None:
        return render(
            request, "support/cost_report.html", {"form": form, "report": None}, status=400
        )
    services.cost_report_exported(actor=request.user, branch=form.cleaned_data.get("branch"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="support-cost.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("by"), _("category"), _("services"), _("cost (KRW)")])
    for row in report["by_kind"]:
        writer.writerow([_("kind of service"), row["label"], row["count"], row["cost"]])
    for row in report["by_provider"]:
        writer.writerow([_("provider"), row["label"], row["count"], row["cost"]])
    writer.writerow([_("total"), "", report["count"], report["cost"]])
    return response
