"""The incident screens of the case page: add, edit and delete (with a reason)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from counselling.incidents import forms, selectors, services
from counselling.models import Case
from counselling.views._common import reads_cases
from ngo import access
from ngo.access import Need
from ngo.access.views import record_form_view
from ngo.lib.forms import version_of


def _to_panel(case_id: int):
    return redirect(reverse("counselling:case_detail", args=[case_id]) + "#incidents")


def _page(request, *, form, case, incident=None, template="incidents/form.html"):
    title = _("Edit the incident") if incident is not None else _("Record an incident")
    if template != "incidents/form.html":
        title = _("Delete the incident")
    return render(
        request,
        template,
        {"form": form, "case": case, "incident": incident, "title": title},
        status=400 if form.is_bound and form.errors else 200,
    )


def _values(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name != "version"}


@reads_cases
@require_http_methods(["GET", "POST"])
def incident_add(request, pk: int):
    user = request.user
    case = access.get_for_user(user, Case, pk, Need.WRITE)
    return record_form_view(
        request,
        read=lambda: None,
        bind=lambda _new: forms.IncidentForm(request.POST or None),
        save=lambda form, _new: services.incident_record(actor=user, case=case, **_values(form)),
        saved=lambda incident: _to_panel(case.pk),
        page=lambda form, _new: _page(request, form=form, case=case),
        message=_("The incident is recorded."),
    )


@reads_cases
@require_http_methods(["GET", "POST"])
def incident_edit(request, pk: int):
    user = request.user
    incident = selectors.incident_get(user=user, pk=pk, need=Need.WRITE)
    return record_form_view(
        request,
        read=lambda: incident,
        bind=lambda record: forms.IncidentForm(request.POST or None, instance=record),
        save=lambda form, record: services.incident_update(
            actor=user, incident=record, expected_version=version_of(form), **_values(form)
        ),
        saved=lambda record: _to_panel(record.case_id),
        page=lambda form, record: _page(request, form=form, case=record.case, incident=record),
        message=_("The incident is saved."),
    )


@reads_cases
@require_http_methods(["GET", "POST"])
def incident_delete(request, pk: int):
    user = request.user
    incident = selectors.incident_get(user=user, pk=pk, need=Need.WRITE)
    case_id = incident.case_id
    return record_form_view(
        request,
        read=lambda: incident,
        bind=lambda record: forms.IncidentDeleteForm(
            request.POST or None, initial={"version": record.version}
        ),
        save=lambda form, record: services.incident_delete(
            actor=user,
            incident=record,
            reason=form.cleaned_data["reason"],
            expected_version=version_of(form),
        ),
        saved=lambda _done: _to_panel(case_id),
        page=lambda form, record: _page(
            request,
            form=form,
            case=record.case,
            incident=record,
            template="incidents/delete.html",
        ),
        message=_("The incident is deleted."),
    )
