"""The edit screens of a shelter, a room and a bed. Each form carries the version
it was filled from: a save after someone else's shows both (record_form_view).
Changing a shelter is setting it up (branch managers, administrators); rooms
and beds are run by the shelter's staff (rename, out of service)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from counselling.shelters import edit_forms, selectors, services
from counselling.shelters.access_rules import require_set_up
from counselling.shelters.views import reads_shelters
from ngo.access import Need
from ngo.access.views import record_form_view
from ngo.lib.forms import version_of


def _board_url(shelter_id: int, anchor: str = "") -> str:
    url = reverse("shelters:shelter_board", args=[shelter_id])
    return f"{url}#{anchor}" if anchor else url


def _edit_page(request, form, *, title: str, shelter, back: str):
    return render(
        request,
        "shelters/edit.html",
        {"form": form, "title": title, "shelter": shelter, "back": back},
    )


def _bound(form_class, request, record):
    if request.method == "POST":
        return form_class(request.POST)
    return form_class(initial=form_class.initial_for(record))


@reads_shelters
@require_http_methods(["GET", "POST"])
def shelter_edit(request, pk: int):
    user = request.user

    def read():
        shelter = selectors.shelter_get(user=user, pk=pk, need=Need.WRITE)
        require_set_up(user, shelter, shelter.branch)
        return shelter

    return record_form_view(
        request,
        read=read,
        bind=lambda shelter: _bound(edit_forms.ShelterEditForm, request, shelter),
        save=lambda form, shelter: services.shelter_update(
            actor=user, shelter=shelter, expected_version=version_of(form), **form.values()
        ),
        saved=lambda shelter: redirect("shelters:shelter_board", shelter.pk),
        page=lambda form, shelter: _edit_page(
            request,
            form,
            title=_("Change the shelter"),
            shelter=shelter,
            back=_board_url(shelter.pk),
        ),
        message=_("The shelter is saved."),
    )


@reads_shelters
@require_http_methods(["GET", "POST"])
def room_edit(request, pk: int):
    user = request.user
    return record_form_view(
        request,
        read=lambda: selectors.room_get(user=user, pk=pk, need=Need.WRITE),
        bind=lambda room: _bound(edit_forms.RoomEditForm, request, room),
        save=lambda form, room: services.room_update(
            actor=user, room=room, expected_version=version_of(form), **form.values()
        ),
        saved=lambda room: redirect(_board_url(room.shelter_id, "beds")),
        page=lambda form, room: _edit_page(
            request,
            form,
            title=_("Change room %(room)s") % {"room": room.name},
            shelter=room.shelter,
            back=_board_url(room.shelter_id, "beds"),
        ),
        message=_("The room is saved."),
    )


@reads_shelters
@require_http_methods(["GET", "POST"])
def bed_edit(request, pk: int):
    user = request.user
    return record_form_view(
        request,
        read=lambda: selectors.bed_get(user=user, pk=pk, need=Need.WRITE),
        bind=lambda bed: _bound(edit_forms.BedEditForm, request, bed),
        save=lambda form, bed: services.bed_update(
            actor=user, bed=bed, expected_version=version_of(form), **form.values()
        ),
        saved=lambda bed: redirect(_board_url(bed.room.shelter_id, f"bed-{bed.pk}")),
        page=lambda form, bed: _edit_page(
            request,
            form,
            title=_("Change bed %(bed)s") % {"bed": f"{bed.room.name}-{bed.label}"},
            shelter=bed.room.shelter,
            back=_board_url(bed.room.shelter_id, f"bed-{bed.pk}"),
        ),
        message=_("The bed is saved."),
    )
