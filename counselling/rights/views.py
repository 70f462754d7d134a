"""The "Her rights" screens: her copies and her requests, on her client page's
own page. Thin: validate, call a service, redirect with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from counselling import selectors as counselling_selectors
from counselling.rights import access_rules, forms, selectors, services
from ngo import access
from ngo.access import Need
from ngo.access.views import capability_required
from ngo.accounts.roles import Capability
from ngo.lib.forms import add_service_errors
from ngo.lib.tabular import attachment

reads_cases = capability_required(Capability.READ_CASES, area="counselling")


def _rights_url(client_id: int) -> str:
    return reverse("rights:client_rights", args=[client_id])


def _page(request, client, *, status=200, decision_forms=None, **bound):
    user = request.user
    can_write = access.can(user, client, Need.WRITE)
    rights_requests = selectors.requests_of_client(user=user, client=client)
    decision_forms = decision_forms or {}
    for rights_request in rights_requests:
        rights_request.form_id = f"decide-form-{rights_request.pk}"
        rights_request.decision_form = decision_forms.get(
            rights_request.pk, forms.DecisionForm(prefix=f"decide-{rights_request.pk}")
        )
    exports = selectors.exports_of_client(user=user, client=client)
    for export in exports:
        export.may_approve = access_rules.may_approve(user, export) and (
            export.prepared_by_id != user.pk
        )
        export.may_download = access_rules.may_download(user, export)
    context = {
        "client": client,
        "can_write": can_write,
        "exports": exports,
        "rights_requests": rights_requests,
        "export_form": forms.ExportPrepareForm(prefix="export"),
        "request_form": forms.RequestForm(prefix="request"),
        **bound,
    }
    return render(request, "rights/client_rights.html", context, status=status)


@reads_cases
@require_GET
def client_rights(request, pk: int):
    client = counselling_selectors.client_get(user=request.user, pk=pk)
    return _page(request, client)


@reads_cases
@require_POST
def export_prepare(request, pk: int):
    client = counselling_selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.ExportPrepareForm(request.POST, prefix="export")
    if form.is_valid():
        try:
            services.export_prepare(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The export is prepared. A branch manager must now approve it.")
            )
            return redirect(_rights_url(client.pk))
    return _page(request, client, export_form=form, status=400)


@reads_cases
@require_POST
def request_add(request, pk: int):
    client = counselling_selectors.client_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.RequestForm(request.POST, prefix="request")
    if form.is_valid():
        try:
            services.request_record(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Her request is recorded. Answer it within 10 days."))
            return redirect(_rights_url(client.pk))
    return _page(request, client, request_form=form, status=400)


@reads_cases
@require_POST
def export_approve(request, pk: int):
    export = selectors.export_get(user=request.user, pk=pk, need=Need.WRITE)
    if not access_rules.may_approve(request.user, export):
        access.refuse(request.user, export, reason="approve")
    try:
        services.export_approve(actor=request.user, export=export)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Approved. The file is being built; it is ready in minutes."))
    return redirect(_rights_url(export.client_id))


@reads_cases
@require_GET
def export_download(request, pk: int):
    export = selectors.export_get(user=request.user, pk=pk, audit_read=False)
    if not access_rules.may_download(request.user, export):
        access.refuse(request.user, export, reason="download")
    try:
        filename, content = services.export_download(actor=request.user, export=export)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_rights_url(export.client_id))
    return attachment(HttpResponse(content, content_type="application/zip"), filename)


@reads_cases
@require_POST
def request_decide(request, pk: int):
    rights_request = selectors.request_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.DecisionForm(request.POST, prefix=f"decide-{rights_request.pk}")
    if form.is_valid():
        try:
            services.request_decide(
                actor=request.user, rights_request=rights_request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(_rights_url(rights_request.client_id))
    return _page(
        request,
        rights_request.client,
        decision_forms={rights_request.pk: form},
        status=400,
    )
