"""The empowerment-programme screens. Thin views, as in counselling.views: fetch
and read through counselling.programmes.selectors (detail reads are audited by
ngo.access), write through counselling.programmes.services, show the page
again on a ValidationError. Setting a programme up follows the one rule of the
access rules, as the API does; its facilitator runs it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counselling.forms import language_label
from counselling.programmes import exports, forms, selectors, services
from counselling.programmes.access_rules import may_set_up, require_set_up
from counselling.programmes.models import EnrolmentStatus, Programme
from ngo import access
from ngo.access import Need
from ngo.access.views import audit_reshown, record_form_view, top_errors
from ngo.lib.forms import add_service_errors, version_of

# Facilitators may be volunteers, so any signed-in person; the access rule
# scopes what each one sees.
signed_in = login_required


@signed_in
@require_http_methods(["GET", "POST"])
def programme_list(request):
    """Her programmes; those who set programmes up create one here."""
    user = request.user

    def read():
        if request.method == "POST":
            require_set_up(user, Programme)

    def page(form, _new):
        programmes = list(selectors.programme_list_with_counts(user=user))
        for programme in programmes:
            programme.language_name = language_label(programme.language)
        return render(
            request,
            "programmes/list.html",
            {"programmes": programmes, "form": form, "may_create": may_set_up(user)},
        )

    return record_form_view(
        request,
        read=read,
        bind=lambda _new: forms.ProgrammeForm(request.POST or None, user=user, prefix="programme"),
        save=lambda form, _new: services.programme_create(actor=user, **form.programme_values()),
        saved=lambda programme: redirect("programmes:programme_detail", programme.pk),
        page=page,
        message=_("The programme is created."),
    )


@signed_in
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int):
    """Rename, describe, reschedule or archive: whoever may change the
    programme (the same rule as the API's PATCH)."""
    user = request.user

    def bind(programme):
        if request.method == "POST":
            return forms.ProgrammeEditForm(request.POST)
        return forms.ProgrammeEditForm(initial=forms.ProgrammeEditForm.initial_for(programme))

    return record_form_view(
        request,
        read=lambda: selectors.programme_get(user=user, pk=pk, need=Need.WRITE),
        bind=bind,
        save=lambda form, programme: services.programme_update(
            actor=user, programme=programme, expected_version=version_of(form), **form.values()
        ),
        saved=lambda programme: redirect("programmes:programme_detail", programme.pk),
        page=lambda form, programme: render(
            request, "programmes/edit.html", {"form": form, "programme": programme}
        ),
        message=_("The programme is saved."),
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
    audit_reshown(request, programme)
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
    has_errors, errors_on_top = top_errors(all_bound)
    context = {
        **sheet,
        "now": now,
        "language_name": language_label(programme.language),
        "can_write": can_write,
        "registers": registers,
        "session_form": forms.ClassSessionForm(prefix="session"),
        "enrol_form": forms.EnrolForm(prefix="enrol", user=user),
        "has_errors": has_errors,
        "top_errors": errors_on_top,
        **bound,
    }
    return render(request, "programmes/detail.html", context)


@signed_in
@require_GET
def programme_detail(request, pk: int):
    return _programme_page(request, selectors.programme_get(user=request.user, pk=pk))


def _redirect_to_programme(programme_id: int, anchor: str = ""):
    url = reverse("programmes:programme_detail", args=[programme_id])
    return redirect(f"{url}#{anchor}" if anchor else url)


@signed_in
@require_POST
def class_session_add(request, pk: int):
    programme = selectors.programme_get(user=request.user, pk=pk, need=Need.WRITE)
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
    programme = selectors.programme_get(user=request.user, pk=pk, need=Need.WRITE)
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
    enrolment = selectors.enrolment_get(user=request.user, pk=pk, need=Need.WRITE)
    services.enrolment_withdraw(actor=request.user, enrolment=enrolment)
    messages.success(request, _("The enrolment is withdrawn."))
    return _redirect_to_programme(enrolment.programme_id, "enrolments")


@signed_in
@require_POST
def attendance_take(request, pk: int):
    session = selectors.class_session_get(user=request.user, pk=pk, need=Need.WRITE)
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
    programme = selectors.programme_get(user=request.user, pk=pk)
    sheet = selectors.attendance_sheet(programme=programme)
    return render(
        request,
        "programmes/attendance_print.html",
        {**sheet, "printed_at": timezone.localtime()},
    )


# --- Attendance exports -----------------------------------------------------------------------


def _attendance_export(request, pk: int, file_format: str):
    programme = selectors.programme_get(user=request.user, pk=pk, audit_read=False)
    return exports.attendance_export(
        actor=request.user, programme=programme, file_format=file_format
    )


@signed_in
@require_GET
def attendance_csv(request, pk: int):
    return _attendance_export(request, pk, "csv")


@signed_in
@require_GET
def attendance_xlsx(request, pk: int):
    return _attendance_export(request, pk, "xlsx")
