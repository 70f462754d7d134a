"""The shelter screens. Thin views, as in counselling.views: fetch and read
through counselling.shelters.selectors (detail reads are audited by
ngo.access), write through counselling.shelters.services, show the page
again on a ValidationError. Setting up (shelters, rooms, beds) follows the one
rule of the access rules, as the API does.

The occupancy board names nobody: a bed's occupant is her case code."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling.shelters import edit_forms, forms, selectors, services
from counselling.shelters.access_rules import may_see_free_beds, may_set_up, require_set_up
from counselling.shelters.models import Shelter, Stay
from ngo import access
from ngo.access import Need
from ngo.access.views import (
    audit_reshown,
    capability_required,
    record_form_view,
    top_errors,
)
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.forms import add_service_errors

reads_shelters = capability_required(Capability.READ_SHELTER, area="shelter")


def reads_stays(view):
    """Shelter staff, and case workers for the stays of their cases."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.can(Capability.READ_SHELTER) or user.can(Capability.READ_CASES)):
            audit_record(
                action=AuditAction.PERMISSION_DENIED,
                actor=user,
                object_type="shelter",
                reason="capability",
            )
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- Shelters -----------------------------------------------------------------------------


@reads_shelters
@require_http_methods(["GET", "POST"])
def shelter_list(request):
    """Her shelters; those who set shelters up add one here."""
    user = request.user

    def read():
        if request.method == "POST":
            require_set_up(user, Shelter)

    return record_form_view(
        request,
        read=read,
        bind=lambda _new: forms.ShelterForm(request.POST or None, user=user, prefix="shelter"),
        save=lambda form, _new: services.shelter_create(actor=user, **form.cleaned_data),
        saved=lambda shelter: redirect("shelters:shelter_board", shelter.pk),
        page=lambda form, _new: render(
            request,
            "shelters/list.html",
            {
                "shelters": list(selectors.shelter_list_with_counts(user=user)),
                "form": form,
                "may_create": may_set_up(user),
                "may_see_free_beds": may_see_free_beds(user),
            },
        ),
        message=_("The shelter is added."),
    )


def _board_page(
    request, shelter: Shelter, *, hold_for: tuple | None = None, on=None, date_form=None, **bound
):
    """The occupancy board on `on` (today by default); `hold_for` is (bed id,
    bound hold form) after an error."""
    user = request.user
    audit_reshown(request, shelter)
    today = timezone.localdate()
    on = on or today
    board = selectors.shelter_board(user=user, shelter=shelter, today=on)
    can_write = access.can(user, shelter, Need.WRITE)
    can_manage = can_write and may_set_up(user, shelter.branch)
    states = board["beds"]
    hold_case_ids = {s.hold.case_id for s in states if s.hold is not None and s.hold.case_id}
    hold_codes = selectors.case_codes(user=user, case_ids=hold_case_ids)
    rooms = list(shelter.rooms.order_by("name"))
    by_room = {room.pk: [] for room in rooms}
    for state in states:
        if state.hold is not None:
            state.hold_code = hold_codes.get(state.hold.case_id, "")
        if can_write and state.status == "free" and on == today:
            if hold_for and hold_for[0] == state.bed.pk:
                state.hold_form = hold_for[1]
            else:
                state.hold_form = forms.HoldForm(prefix=f"hold-{state.bed.pk}", user=user)
        by_room.setdefault(state.bed.room_id, []).append(state)
    for stay in board["leaves_due"]:
        stay.overdue = stay.expected_leave_on < today
    months = board["months"]
    for month in months:
        month["bar"] = _width_class(month["rate"])
    hold_form = hold_for[1] if hold_for else None
    has_errors, errors_on_top = top_errors({**bound, "hold": hold_form})
    # The hold and service forms sit in a bed's card (or nowhere, once the bed
    # is taken): their field errors go on top too.
    for form in (hold_form, bound.get("service_form")):
        if form is not None:
            errors_on_top += [
                e for name, errs in form.errors.items() if name != "__all__" for e in errs
            ]
    context = {
        **board,
        "rooms": [(room, by_room.get(room.pk, [])) for room in rooms],
        "today": today,
        "on": on,
        "is_today": on == today,
        "previous_day": on - timedelta(days=1),
        "next_day": on + timedelta(days=1),
        "date_form": date_form or edit_forms.BoardDateForm(initial={"on": on}),
        "can_write": can_write,
        "can_manage": can_manage,
        "room_form": forms.RoomForm(prefix="room"),
        "bed_form": forms.BedForm(prefix="bed", shelter=shelter),
        "has_errors": has_errors,
        "top_errors": errors_on_top,
        **bound,
    }
    return render(request, "shelters/board.html", context)


def _width_class(rate: float) -> str:
    """A Bootstrap width class for a bar (the CSP forbids style attributes)."""
    for limit, css in ((87.5, "w-100"), (62.5, "w-75"), (37.5, "w-50"), (12.5, "w-25")):
        if rate >= limit:
            return css
    return ""


@reads_shelters
@require_GET
def shelter_board(request, pk: int):
    """?on=YYYY-MM-DD shows the beds of another day; a bad date is said, and
    today shown."""
    shelter = selectors.shelter_get(user=request.user, pk=pk)
    date_form = edit_forms.BoardDateForm(request.GET)
    if date_form.is_valid():
        return _board_page(request, shelter, on=date_form.cleaned_data["on"])
    for error in date_form.errors.get("on", []):
        messages.error(request, error)
    return _board_page(request, shelter, date_form=date_form)


def _redirect_to_board(shelter_id: int, anchor: str = ""):
    url = reverse("shelters:shelter_board", args=[shelter_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _shelter_to_set_up(request, pk: int) -> Shelter:
    shelter = selectors.shelter_get(user=request.user, pk=pk, need=Need.WRITE)
    require_set_up(request.user, shelter, shelter.branch)
    return shelter


@reads_shelters
@require_POST
def room_add(request, pk: int):
    shelter = _shelter_to_set_up(request, pk)
    form = forms.RoomForm(request.POST, prefix="room")
    if form.is_valid():
        try:
            services.room_create(actor=request.user, shelter=shelter, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The room is added."))
            return _redirect_to_board(shelter.pk, "manage")
    return _board_page(request, shelter, room_form=form)


@reads_shelters
@require_POST
def bed_add(request, pk: int):
    shelter = _shelter_to_set_up(request, pk)
    form = forms.BedForm(request.POST, prefix="bed", shelter=shelter)
    if form.is_valid():
        try:
            services.bed_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The bed is added."))
            return _redirect_to_board(shelter.pk, "manage")
    return _board_page(request, shelter, bed_form=form)


@reads_shelters
@require_http_methods(["GET", "POST"])
def bed_admit(request, pk: int):
    """Admit a woman (and the children with her) to this bed. "Find" posts her
    case code first so that her recorded children can be ticked."""
    user = request.user
    bed = selectors.bed_get(user=user, pk=pk, need=Need.WRITE)
    shelter = bed.room.shelter
    held_case = selectors.held_request_case(bed=bed)
    finding = request.method == "POST" and "find" in request.POST
    if request.method == "POST":
        form = forms.AdmitForm(request.POST, user=user, shelter=shelter, held_case=held_case)
        if form.is_valid() and not finding:
            try:
                stay = services.stay_admit(actor=user, bed=bed, **form.admit_values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(code)s is admitted to bed %(bed)s.")
                    % {"code": stay.client.case_code, "bed": f"{bed.room.name}-{bed.label}"},
                )
                return redirect("shelters:stay_detail", stay.pk)
    else:
        initial = {"case_code": selectors.held_for_case_code(user=user, bed=bed)}
        form = forms.AdmitForm(initial=initial, user=user, shelter=shelter, held_case=held_case)
    return render(
        request,
        "shelters/admit.html",
        {
            "bed": bed,
            "shelter": shelter,
            "form": form,
            "case": form.case,
            "finding": finding,
            "has_errors": form.has_errors and not finding,
        },
    )


@reads_shelters
@require_POST
def bed_hold(request, pk: int):
    user = request.user
    bed = selectors.bed_get(user=user, pk=pk, need=Need.WRITE)
    form = forms.HoldForm(request.POST, prefix=f"hold-{bed.pk}", user=user)
    if form.is_valid():
        try:
            hold = services.bed_hold(
                actor=user,
                bed=bed,
                case=form.case,
                note=form.cleaned_data["note"],
                hours=form.cleaned_data["hours"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Bed %(bed)s is held until %(time)s.")
                % {
                    "bed": f"{bed.room.name}-{bed.label}",
                    "time": timezone.localtime(hold.expires_at).strftime("%H:%M"),
                },
            )
            return _redirect_to_board(bed.room.shelter_id, f"bed-{bed.pk}")
    return _board_page(request, bed.room.shelter, hold_for=(bed.pk, form))


@reads_shelters
@require_POST
def hold_release(request, pk: int):
    hold = selectors.bed_hold_get(user=request.user, pk=pk, need=Need.WRITE)
    services.bed_hold_release(actor=request.user, hold=hold)
    messages.success(request, _("The hold is released."))
    return _redirect_to_board(hold.bed.room.shelter_id, f"bed-{hold.bed_id}")


@reads_shelters
@require_POST
def bed_service(request, pk: int):
    bed = selectors.bed_get(user=request.user, pk=pk, need=Need.WRITE)
    form = forms.BedServiceForm(request.POST, prefix="service")
    if form.is_valid():
        out = form.cleaned_data["out_of_service"]
        try:
            services.bed_set_out_of_service(actor=request.user, bed=bed, out_of_service=out)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The bed is out of service.") if out else _("The bed is back in service."),
            )
            return _redirect_to_board(bed.room.shelter_id, f"bed-{bed.pk}")
    return _board_page(request, bed.room.shelter, service_form=form)


# --- Stays --------------------------------------------------------------------------------


def _stay_page(request, stay: Stay, **bound):
    user = request.user
    audit_reshown(request, stay)
    today = timezone.localdate()
    can_write = access.can(user, stay, Need.WRITE)
    context = {
        "stay": stay,
        "shelter": stay.shelter,
        "code": stay.client.case_code,
        "case_visible": access.can(user, stay.case, Need.READ),
        "occupancies": list(stay.occupancies.select_related("bed__room")),
        "children": list(selectors.stay_children(user=user, stay=stay)),
        "overdue": stay.is_open and stay.expected_leave_on < today,
        "days": ((stay.discharged_on or today) - stay.admitted_on).days,
        "can_write": can_write and stay.is_open,
        "move_form": forms.MoveForm(prefix="move", stay=stay),
        "discharge_form": forms.DischargeForm(prefix="discharge"),
        "leave_form": forms.ExpectedLeaveForm(
            prefix="leave", initial={"expected_leave_on": stay.expected_leave_on}
        ),
        **bound,
    }
    context["has_errors"], context["top_errors"] = top_errors(bound)
    return render(request, "shelters/stay.html", context)


@reads_stays
@require_GET
def stay_detail(request, pk: int):
    return _stay_page(request, selectors.stay_get(user=request.user, pk=pk))


def _stay_action(request, pk: int, form_class, key: str, call, *, success, form_kwargs=None):
    """Validate, call the service, redirect with a message; or show the stay
    page again with the errors (nothing saved)."""
    stay = selectors.stay_get(user=request.user, pk=pk, need=Need.WRITE)
    extra = form_kwargs(stay) if form_kwargs else {}
    form = form_class(request.POST, prefix=key, **extra)
    if form.is_valid():
        try:
            call(stay, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            stay = selectors.stay_get(user=request.user, pk=pk, need=Need.WRITE)
        else:
            messages.success(request, success)
            return redirect("shelters:stay_detail", stay.pk)
    return _stay_page(request, stay, **{f"{key}_form": form})


@reads_stays
@require_POST
def stay_move(request, pk: int):
    def call(stay, data):
        return services.stay_move(
            actor=request.user, stay=stay, bed=data["bed"], moved_on=data["moved_on"]
        )

    return _stay_action(
        request,
        pk,
        forms.MoveForm,
        "move",
        call,
        success=_("She is moved to the new bed."),
        form_kwargs=lambda stay: {"stay": stay},
    )


@reads_stays
@require_POST
def stay_discharge(request, pk: int):
    def call(stay, data):
        return services.stay_discharge(
            actor=request.user,
            stay=stay,
            discharged_on=data["discharged_on"],
            destination=data["destination"],
            notes=data["notes"] or None,
        )

    return _stay_action(
        request,
        pk,
        forms.DischargeForm,
        "discharge",
        call,
        success=_("The discharge is recorded."),
    )


@reads_stays
@require_POST
def stay_expected_leave(request, pk: int):
    def call(stay, data):
        return services.stay_update(
            actor=request.user, stay=stay, expected_leave_on=data["expected_leave_on"]
        )

    return _stay_action(
        request,
        pk,
        forms.ExpectedLeaveForm,
        "leave",
        call,
        success=_("The expected leave date is saved."),
    )
