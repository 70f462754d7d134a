"""Free beds across branches and the bed requests made from them.

The free-beds page shows counts only (the shelter's public name and branch,
never an address, a bed label or anyone in it). A request is read by the
workers of its case and by the staff of the shelter asked; the shelter's staff
accept (holding beds) or decline it, the case's workers may cancel it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling.shelters import availability, bed_requests, edit_forms, selectors
from counselling.shelters.access_rules import may_cancel, may_decide
from counselling.shelters.models import BedRequest, BedRequestStatus
from ngo import access
from ngo.access import Need
from ngo.access.views import audit_reshown, route_gate, top_errors
from ngo.accounts.roles import Capability
from ngo.lib.forms import add_service_errors


@route_gate("shelters:free_beds", area="shelter")
@require_GET
def free_beds(request):
    rows = availability.free_beds()
    return render(
        request,
        "shelters/free_beds.html",
        {
            "regions": availability.by_region(rows),
            "days": rows[0].days if rows else [],
            "may_request": request.user.can(Capability.WRITE_CASES),
        },
    )


@route_gate("shelters:bed_request_list", area="shelter")
@require_GET
def bed_request_list(request):
    """Requests for the shelters she runs (incoming), and those of her cases."""
    user = request.user
    requests = list(selectors.bed_request_list(user=user))
    runs = set(selectors.shelters_run_by(user=user)) if requests else set()
    return render(
        request,
        "shelters/bed_requests.html",
        {
            "incoming": [r for r in requests if r.shelter_id in runs],
            "outgoing": [r for r in requests if r.shelter_id not in runs],
        },
    )


@route_gate("shelters:bed_request_new", area="shelter")
@require_http_methods(["GET", "POST"])
def bed_request_new(request):
    user = request.user
    finding = request.method == "POST" and "find" in request.POST
    if request.method == "POST":
        form = edit_forms.BedRequestForm(request.POST, user=user)
        if form.is_valid() and not finding:
            try:
                made = bed_requests.bed_request_create(actor=user, **form.request_values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The request is sent to the shelter."))
                return redirect("shelters:bed_request_detail", made.pk)
    else:
        initial = {"shelter": request.GET.get("shelter", "")}
        if not initial["shelter"].isdigit():
            initial = {}
        form = edit_forms.BedRequestForm(initial=initial, user=user)
    return render(
        request,
        "shelters/bed_request_new.html",
        {"form": form, "case": form.case, "has_errors": form.has_errors and not finding},
    )


def _request_page(request, bed_request: BedRequest, **bound):
    user = request.user
    audit_reshown(request, bed_request)
    decides = bed_request.is_pending and may_decide(user, bed_request)
    context = {
        "bed_request": bed_request,
        "children": list(access.scope(user, bed_request.children.all())),
        "holds": list(bed_request.holds.select_related("bed__room")),
        "decides": decides,
        "cancels": bed_request.is_pending and may_cancel(user, bed_request),
        "accept_form": bound.get("accept_form")
        or (edit_forms.AcceptForm(prefix="accept", bed_request=bed_request) if decides else None),
        "decline_form": bound.get("decline_form") or edit_forms.DeclineForm(prefix="decline"),
        "accepted": bed_request.status == BedRequestStatus.ACCEPTED,
    }
    context["has_errors"], context["top_errors"] = top_errors(bound)
    return render(request, "shelters/bed_request.html", context)


@route_gate("shelters:bed_request_detail", area="shelter")
@require_GET
def bed_request_detail(request, pk: int):
    return _request_page(request, selectors.bed_request_get(user=request.user, pk=pk))


def _decided(request, pk: int):
    bed_request = selectors.bed_request_get(user=request.user, pk=pk, need=Need.WRITE)
    if not may_decide(request.user, bed_request):
        access.refuse(request.user, bed_request, reason="not_shelter_staff")
    return bed_request


@route_gate("shelters:bed_request_accept", area="shelter")
@require_POST
def bed_request_accept(request, pk: int):
    bed_request = _decided(request, pk)
    form = edit_forms.AcceptForm(request.POST, prefix="accept", bed_request=bed_request)
    if form.is_valid():
        try:
            bed_requests.bed_request_accept(
                actor=request.user, request=bed_request, beds=form.cleaned_data["beds"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The beds are held for her."))
            return redirect("shelters:bed_request_detail", bed_request.pk)
    return _request_page(request, bed_request, accept_form=form)


@route_gate("shelters:bed_request_decline", area="shelter")
@require_POST
def bed_request_decline(request, pk: int):
    bed_request = _decided(request, pk)
    form = edit_forms.DeclineForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            bed_requests.bed_request_decline(
                actor=request.user, request=bed_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request is declined."))
            return redirect("shelters:bed_request_detail", bed_request.pk)
    return _request_page(request, bed_request, decline_form=form)


@route_gate("shelters:bed_request_cancel", area="shelter")
@require_POST
def bed_request_cancel(request, pk: int):
    bed_request = selectors.bed_request_get(user=request.user, pk=pk, need=Need.WRITE)
    if not may_cancel(request.user, bed_request):
        access.refuse(request.user, bed_request, reason="not_case_worker")
    try:
        bed_requests.bed_request_cancel(actor=request.user, request=bed_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("shelters:bed_request_detail", bed_request.pk)
