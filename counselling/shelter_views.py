"""The shelter and empowerment-programme screens. Thin views, as in
counselling.views: fetch through ngo.access (detail reads are audited
there), read through counselling.shelter_selectors, write through
counselling.shelter_services, show the page again on a ValidationError.

The occupancy board names nobody: a bed's occupant is her case code."""

from __future__ import annotations

import csv
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling import shelter_forms as forms
from counselling import shelter_selectors as selectors
from counselling import shelter_services as services
from counselling.forms import add_service_errors, language_label
from counselling.models import (
    Bed,
    BedHold,
    Case,
    ClassSession,
    Enrolment,
    EnrolmentStatus,
    Programme,
    Shelter,
    Stay,
)
from ngo import access
from ngo.access import Need
from ngo.access.views import capability_required
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, object_type_of

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


# Programmes: facilitators may be volunteers, so any signed-in person; the
# access rule scopes what each one sees.
signed_in = login_required


def _audit_reshown(request, obj) -> None:
    """A form sent back with errors shows the record again: audit that read
    too (a GET is audited by access.get_for_user)."""
    if request.method == "POST":
        audit_record(action=AuditAction.READ, actor=request.user, obj=obj, reason="form_errors")


def _require_manager(user, obj) -> None:
    """Setting up shelters, rooms, beds and programmes is for managers and
    administrators (who must also be able to write `obj`, checked by the caller)."""
    if not forms.manages_branches(user):
        audit_record(
            action=AuditAction.PERMISSION_DENIED,
            actor=user,
            obj=obj,
            object_type=object_type_of(obj),
            reason="manage",
        )
        raise PermissionDenied


def _top_errors(bound: dict) -> tuple[bool, list]:
    failed = [form for form in bound.values() if getattr(form, "has_errors", False)]
    return bool(failed), [error for form in failed for error in form.non_field_errors()]


# --- Shelters -----------------------------------------------------------------------------


def _shelters():
    return Shelter.objects.select_related("branch")


@reads_shelters
@require_http_methods(["GET", "POST"])
def shelter_list(request):
    user = request.user
    may_create = user.can(Capability.WRITE_SHELTER) and forms.manages_branches(user)
    form = forms.ShelterForm(request.POST or None, user=user, prefix="shelter")
    if request.method == "POST":
        if not may_create:
            audit_record(
                action=AuditAction.PERMISSION_DENIED,
                actor=user,
                object_type=object_type_of(Shelter),
                reason="create",
            )
            raise PermissionDenied
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                shelter = services.shelter_create(actor=user, **values)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The shelter is added."))
                return redirect("counselling:shelter_board", shelter.pk)
    shelters = selectors.shelter_list(user=user).annotate(
        bed_count=Count("rooms__beds", distinct=True),
        open_stays=Count("stays", filter=Q(stays__discharged_on__isnull=True), distinct=True),
    )
    return render(
        request,
        "counselling/shelters/list.html",
        {"shelters": list(shelters), "form": form, "may_create": may_create},
    )


def _board_page(request, shelter: Shelter, *, hold_for: tuple | None = None, **bound):
    """The occupancy board; `hold_for` is (bed id, bound hold form) after an error."""
    user = request.user
    _audit_reshown(request, shelter)
    today = timezone.localdate()
    board = selectors.shelter_board(user=user, shelter=shelter, today=today)
    can_write = access.can(user, shelter, Need.WRITE)
    can_manage = can_write and forms.manages_branches(user)
    states = board["beds"]
    hold_case_ids = {s.hold.case_id for s in states if s.hold is not None and s.hold.case_id}
    hold_codes = {}
    if hold_case_ids:
        hold_codes = dict(
            access.scope(user, Case.objects.filter(pk__in=hold_case_ids)).values_list(
                "pk", "client__case_code"
            )
        )
    rooms = list(shelter.rooms.order_by("name"))
    by_room = {room.pk: [] for room in rooms}
    for state in states:
        if state.hold is not None:
            state.hold_code = hold_codes.get(state.hold.case_id, "")
        if can_write and state.status == "free":
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
    has_errors, top_errors = _top_errors({**bound, "hold": hold_form})
    # The hold and service forms sit in a bed's card (or nowhere, once the bed
    # is taken): their field errors go on top too.
    for form in (hold_form, bound.get("service_form")):
        if form is not None:
            top_errors += [
                e for name, errs in form.errors.items() if name != "__all__" for e in errs
            ]
    context = {
        **board,
        "rooms": [(room, by_room.get(room.pk, [])) for room in rooms],
        "today": today,
        "can_write": can_write,
        "can_manage": can_manage,
        "room_form": forms.RoomForm(prefix="room"),
        "bed_form": forms.BedForm(prefix="bed", shelter=shelter),
        "has_errors": has_errors,
        "top_errors": top_errors,
        **bound,
    }
    return render(request, "counselling/shelters/board.html", context)


def _width_class(rate: float) -> str:
    """A Bootstrap width class for a bar (the CSP forbids style attributes)."""
    for limit, css in ((87.5, "w-100"), (62.5, "w-75"), (37.5, "w-50"), (12.5, "w-25")):
        if rate >= limit:
            return css
    return ""


@reads_shelters
@require_GET
def shelter_board(request, pk: int):
    return _board_page(request, access.get_for_user(request.user, _shelters(), pk))


def _redirect_to_board(shelter_id: int, anchor: str = ""):
    url = reverse("counselling:shelter_board", args=[shelter_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _shelter_for_manager(request, pk: int) -> Shelter:
    shelter = access.get_for_user(request.user, _shelters(), pk, Need.WRITE)
    _require_manager(request.user, shelter)
    return shelter


@reads_shelters
@require_POST
def room_add(request, pk: int):
    shelter = _shelter_for_manager(request, pk)
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
    shelter = _shelter_for_manager(request, pk)
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


def _beds():
    return Bed.objects.select_related("room__shelter__branch")


@reads_shelters
@require_http_methods(["GET", "POST"])
def bed_admit(request, pk: int):
    """Admit a woman (and the children with her) to this bed. "Find" posts her
    case code first so that her recorded children can be ticked."""
    user = request.user
    bed = access.get_for_user(user, _beds(), pk, Need.WRITE)
    shelter = bed.room.shelter
    finding = request.method == "POST" and "find" in request.POST
    if request.method == "POST":
        form = forms.AdmitForm(request.POST, user=user, shelter=shelter)
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
                return redirect("counselling:stay_detail", stay.pk)
    else:
        initial = {}
        hold = bed.holds.filter(released_at__isnull=True, expires_at__gt=timezone.now()).first()
        if hold is not None and hold.case_id:
            case = access.scope(user, Case.objects.select_related("client")).filter(pk=hold.case_id)
            initial["case_code"] = next((c.client.case_code for c in case), "")
        form = forms.AdmitForm(initial=initial, user=user, shelter=shelter)
    return render(
        request,
        "counselling/shelters/admit.html",
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
    bed = access.get_for_user(user, _beds(), pk, Need.WRITE)
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
    hold = access.get_for_user(
        request.user, BedHold.objects.select_related("bed__room__shelter"), pk, Need.WRITE
    )
    services.bed_hold_release(actor=request.user, hold=hold)
    messages.success(request, _("The hold is released."))
    return _redirect_to_board(hold.bed.room.shelter_id, f"bed-{hold.bed_id}")


@reads_shelters
@require_POST
def bed_service(request, pk: int):
    bed = access.get_for_user(request.user, _beds(), pk, Need.WRITE)
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


def _stays():
    return Stay.objects.select_related("client", "case", "shelter__branch", "bed__room")


def _stay_page(request, stay: Stay, **bound):
    user = request.user
    _audit_reshown(request, stay)
    today = timezone.localdate()
    can_write = access.can(user, stay, Need.WRITE)
    context = {
        "stay": stay,
        "shelter": stay.shelter,
        "code": stay.client.case_code,
        "case_visible": access.can(user, stay.case, Need.READ),
        "occupancies": list(stay.occupancies.select_related("bed__room")),
        "children": list(access.scope(user, stay.children.all())),
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
    context["has_errors"], context["top_errors"] = _top_errors(bound)
    return render(request, "counselling/shelters/stay.html", context)


@reads_stays
@require_GET
def stay_detail(request, pk: int):
    return _stay_page(request, access.get_for_user(request.user, _stays(), pk))


def _stay_action(request, pk: int, form_class, key: str, call, *, success, form_kwargs=None):
    """Validate, call the service, redirect with a message; or show the stay
    page again with the errors (nothing saved)."""
    stay = access.get_for_user(request.user, _stays(), pk, Need.WRITE)
    extra = form_kwargs(stay) if form_kwargs else {}
    form = form_class(request.POST, prefix=key, **extra)
    if form.is_valid():
        try:
            call(stay, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            stay = access.get_for_user(request.user, _stays(), pk, Need.WRITE)
        else:
            messages.success(request, success)
            return redirect("counselling:stay_detail", stay.pk)
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


# --- Programmes -----------------------------------------------------------------------------


def _programmes():
    return Programme.objects.select_related("branch", "facilitator")


@signed_in
@require_http_methods(["GET", "POST"])
def programme_list(request):
    user = request.user
    may_create = forms.manages_branches(user)
    form = forms.ProgrammeForm(request.POST or None, user=user, prefix="programme")
    if request.method == "POST":
        if not may_create:
            audit_record(
                action=AuditAction.PERMISSION_DENIED,
                actor=user,
                object_type=object_type_of(Programme),
                reason="create",
            )
            raise PermissionDenied
        if form.is_valid():
            try:
                programme = services.programme_create(actor=user, **form.programme_values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The programme is created."))
                return redirect("counselling:programme_detail", programme.pk)
    programmes = selectors.programme_list(user=user).annotate(
        class_count=Count("sessions", distinct=True),
        enrolled_count=Count(
            "enrolments",
            filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN),
            distinct=True,
        ),
    )
    programmes = list(programmes)
    for programme in programmes:
        programme.language_name = language_label(programme.language)
    return render(
        request,
        "counselling/programmes/list.html",
        {"programmes": programmes, "form": form, "may_create": may_create},
    )


def _register_rows(sheet: dict) -> list[tuple[int, str]]:
    return [
        (row["enrolment"].pk, row["who"])
        for row in sheet["rows"]
        if row["enrolment"].status != EnrolmentStatus.WITHDRAWN
    ]


def _programme_page(request, programme: Programme, *, register_for=None, **bound):
    """`register_for` is (class id, bound register form) after an error."""
    user = request.user
    _audit_reshown(request, programme)
    now = timezone.now()
    sheet = selectors.attendance_sheet(programme=programme)
    can_write = access.can(user, programme, Need.WRITE)
    rows = _register_rows(sheet)
    registers = []
    if can_write:
        for index, session in enumerate(sheet["sessions"]):
            if register_for and register_for[0] == session.pk:
                form = register_for[1]
            elif session.starts_at <= now:
                present = [str(row["enrolment"].pk) for row in sheet["rows"] if row["marks"][index]]
                form = forms.RegisterForm(
                    prefix=f"register-{session.pk}", rows=rows, initial={"present": present}
                )
            else:
                continue
            registers.append((session, form))
        registers.reverse()  # the latest class first
    all_bound = dict(bound)
    if register_for:
        all_bound["register"] = register_for[1]
    has_errors, top_errors = _top_errors(all_bound)
    context = {
        **sheet,
        "now": now,
        "language_name": language_label(programme.language),
        "can_write": can_write,
        "registers": registers,
        "session_form": forms.ClassSessionForm(prefix="session"),
        "enrol_form": forms.EnrolForm(prefix="enrol", user=user),
        "has_errors": has_errors,
        "top_errors": top_errors,
        **bound,
    }
    return render(request, "counselling/programmes/detail.html", context)


@signed_in
@require_GET
def programme_detail(request, pk: int):
    return _programme_page(request, access.get_for_user(request.user, _programmes(), pk))


def _redirect_to_programme(programme_id: int, anchor: str = ""):
    url = reverse("counselling:programme_detail", args=[programme_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


@signed_in
@require_POST
def class_session_add(request, pk: int):
    programme = access.get_for_user(request.user, _programmes(), pk, Need.WRITE)
    form = forms.ClassSessionForm(request.POST, prefix="session")
    if form.is_valid():
        try:
            services.class_session_add(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The class is added."))
            return _redirect_to_programme(programme.pk, "classes")
    return _programme_page(request, programme, session_form=form)


@signed_in
@require_POST
def enrolment_add(request, pk: int):
    programme = access.get_for_user(request.user, _programmes(), pk, Need.WRITE)
    form = forms.EnrolForm(request.POST, prefix="enrol", user=request.user)
    if form.is_valid():
        try:
            services.enrol(actor=request.user, programme=programme, **form.enrol_values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The enrolment is recorded."))
            return _redirect_to_programme(programme.pk, "enrolments")
    return _programme_page(request, programme, enrol_form=form)


@signed_in
@require_POST
def enrolment_withdraw(request, pk: int):
    enrolment = access.get_for_user(
        request.user, Enrolment.objects.select_related("programme"), pk, Need.WRITE
    )
    services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    messages.success(request, _("The enrolment is withdrawn."))
    return _redirect_to_programme(enrolment.programme_id, "enrolments")


@signed_in
@require_POST
def attendance_take(request, pk: int):
    session = access.get_for_user(
        request.user,
        ClassSession.objects.select_related("programme__branch", "programme__facilitator"),
        pk,
        Need.WRITE,
    )
    programme = session.programme
    rows = _register_rows(selectors.attendance_sheet(programme=programme))
    form = forms.RegisterForm(request.POST, prefix=f"register-{session.pk}", rows=rows)
    if form.is_valid():
        try:
            services.attendance_record(
                actor=request.user, session=session, present=form.present_values()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The register is saved."))
            return _redirect_to_programme(programme.pk, "attendance")
    return _programme_page(request, programme, register_for=(session.pk, form))


@signed_in
@require_GET
def attendance_print(request, pk: int):
    programme = access.get_for_user(request.user, _programmes(), pk)
    sheet = selectors.attendance_sheet(programme=programme)
    return render(
        request,
        "counselling/programmes/attendance_print.html",
        {**sheet, "printed_at": timezone.localtime()},
    )


# --- Attendance exports -----------------------------------------------------------------------


def _safe_cell(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula: a member's
    name must stay text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _export_rows(programme: Programme) -> list[list]:
    sheet = selectors.attendance_sheet(programme=programme)
    header = [
        _("participant"),
        _("kind"),
        _("status"),
        *(timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M") for s in sheet["sessions"]),
        _("attended"),
        _("attendance (%)"),
    ]
    rows = [header]
    for row in sheet["rows"]:
        enrolment = row["enrolment"]
        rows.append(
            [
                row["who"] or "",
                _("client") if enrolment.client_id else _("community member"),
                enrolment.get_status_display(),
                *("" if mark is None else int(mark) for mark in row["marks"]),
                row["attended"],
                row["rate"],
            ]
        )
    return rows


def _export_programme(request, pk: int) -> Programme:
    programme = access.get_for_user(request.user, _programmes(), pk, audit_read=False)
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT, actor=request.user, obj=programme, reason="attendance"
        )
    return programme


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store"
    return response


@signed_in
@require_GET
def attendance_csv(request, pk: int):
    programme = _export_programme(request, pk)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [_safe_cell(value) for value in row] for row in _export_rows(programme)
    )
    # With a byte-order mark, spreadsheet programs read the Korean text as UTF-8.
    content = buffer.getvalue().encode("utf-8-sig")
    return _attachment(
        content, "text/csv; charset=utf-8", f"programme-{programme.pk}-attendance.csv"
    )


@signed_in
@require_GET
def attendance_xlsx(request, pk: int):
    from openpyxl import Workbook

    programme = _export_programme(request, pk)
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = _("Attendance")[:31]
    for values in _export_rows(programme):
        worksheet.append(values)
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula (a name may start with "=")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _attachment(
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"programme-{programme.pk}-attendance.xlsx",
    )
