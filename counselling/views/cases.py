"""The case page and what a counsellor records on it."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from counselling import case_panels, forms, services
from counselling.models import CaseStatus
from counselling.views._common import _case_action, _case_for, _case_page, reads_cases
from ngo.access import Need


@reads_cases
@require_GET
def case_detail(request, pk: int):
    return _case_page(request, _case_for(request, pk, Need.READ))


@reads_cases
@require_GET
def case_form(request, pk: int, form: str):
    """The fields of one of the case page's forms, fetched when she opens it
    (counselling.case_panels.register_form); only for a case she may write."""
    registered = case_panels.form_on_demand(form)
    if registered is None:
        raise Http404
    case = _case_for(request, pk, Need.WRITE)
    built = registered.build(request.user, case)
    if built is None:
        raise Http404
    return render(request, registered.template, {"form": built, "case": case})


@reads_cases
@require_POST
def case_status(request, pk: int):
    def call(case, form):
        values = form.status_values()
        case = services.case_change_status(actor=request.user, case=case, **values)
        # At a branch that asks for it, the closure awaits the manager's approval.
        case.closure_awaiting = values["to"] == CaseStatus.CLOSED != case.status
        return case

    return _case_action(
        request,
        pk,
        forms.CaseStatusForm,
        "status",
        call,
        success=lambda case: (
            _("Closing the case awaits the branch manager's approval.")
            if case.closure_awaiting
            else _("The case is now: %(status)s.") % {"status": case.get_status_display()}
        ),
        anchor="",
    )


@reads_cases
@require_POST
def case_assign(request, pk: int):
    def call(case, form):
        return services.case_assign(
            actor=request.user, case=case, users=form.cleaned_data["assigned"]
        )

    return _case_action(
        request,
        pk,
        forms.AssignForm,
        "assign",
        call,
        success=_("The assignment is saved."),
        anchor="",
        form_kwargs=lambda case: {"case": case},
    )


@reads_cases
@require_POST
def session_add(request, pk: int):
    def call(case, form):
        return services.session_record(actor=request.user, case=case, **form.cleaned_data)

    return _case_action(
        request,
        pk,
        forms.SessionForm,
        "session",
        call,
        success=_("The session is recorded."),
        anchor="sessions",
        form_kwargs=lambda case: {"case": case},
    )


@reads_cases
@require_POST
def event_add(request, pk: int):
    def call(case, form):
        return services.case_event_add(actor=request.user, case=case, **form.cleaned_data)

    return _case_action(
        request,
        pk,
        forms.CaseEventForm,
        "event",
        call,
        success=_("The date is added."),
        anchor="key-dates",
    )
