"""Writes on shelters, rooms, beds, stays and bed holds.

Admission locks the bed row (and the client row) before it checks, so that
many simultaneous admissions to the last free bed end with exactly one stay;
on PostgreSQL an exclusion constraint on the bed's occupied dates backs that up.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import Case, CaseActivity, CaseStatus, Child, Client
from counselling.services import _activity, _check_branch
from counselling.shelters.models import (
    Bed,
    BedHold,
    BedKind,
    BedOccupancy,
    BedRequest,
    Room,
    Shelter,
    Stay,
)
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, audited_create, audited_update
from ngo.lib.changes import apply_changes
from ngo.lib.versions import claim_version

SHELTER_FIELDS = ("name", "public_name", "address", "max_stay_days", "hold_hours", "is_active")
ROOM_FIELDS = ("name", "out_of_service", "out_of_service_note")
BED_FIELDS = ("label", "kind", "out_of_service", "out_of_service_until", "out_of_service_note")


# --- Shelters, rooms, beds ------------------------------------------------------------


@transaction.atomic
def shelter_create(*, actor: User, branch, **values) -> Shelter:
    _check_branch(actor, branch)
    return audited_create(
        Shelter, actor=actor, values=values, allowed=SHELTER_FIELDS, extra={"branch": branch}
    )


@transaction.atomic
def shelter_update(
    *, actor: User, shelter: Shelter, expected_version: int | None = None, **values
) -> Shelter:
    audited_update(
        shelter,
        actor=actor,
        values=values,
        allowed=SHELTER_FIELDS,
        expected_version=expected_version,
    )
    return shelter


@transaction.atomic
def room_create(*, actor: User, shelter: Shelter, name: str) -> Room:
    room = Room(shelter=shelter, name=name)
    room.full_clean()
    room.save()
    audit_record(action=AuditAction.CREATE, actor=actor, obj=room, fields=["name"])
    return room


@transaction.atomic
def bed_create(*, actor: User, room: Room, label: str, kind: str = "adult") -> Bed:
    bed = Bed(room=room, label=label, kind=kind)
    bed.full_clean()
    bed.save()
    audit_record(action=AuditAction.CREATE, actor=actor, obj=bed, fields=["label", "kind"])
    return bed


@transaction.atomic
def room_update(*, actor: User, room: Room, expected_version: int | None = None, **values) -> Room:
    """Rename a room, or take it out of service (no bed of it is then admitted
    to or held; those sleeping there stay until moved)."""
    room = Room.objects.select_for_update().get(pk=room.pk)
    audited_update(
        room, actor=actor, values=values, allowed=ROOM_FIELDS, expected_version=expected_version
    )
    return room


def _check_out_of_service(bed: Bed, values: dict) -> None:
    """Taking a bed out of service (or moving its end date): not while someone
    sleeps in it or it is held, and not until a day gone by."""
    going_out = values.get("out_of_service", bed.out_of_service)
    if not going_out:
        return
    until = values.get("out_of_service_until", bed.out_of_service_until)
    if "out_of_service_until" in values and until is not None and until < timezone.localdate():
        raise ValidationError(
            {"out_of_service_until": _("The end of the out-of-service period is in the past.")}
        )
    if bed.out_of_service:
        return
    if bed.occupancies.filter(ends_on__isnull=True).exists():
        raise ValidationError({"out_of_service": _("Someone sleeps in this bed; move her first.")})
    if _active_hold(bed) is not None:
        raise ValidationError({"out_of_service": _("This bed is held; release the hold first.")})


@transaction.atomic
def bed_update(*, actor: User, bed: Bed, expected_version: int | None = None, **values) -> Bed:
    """Relabel a bed, change its kind, or take it out of service (until a date,
    with a note) or back: not while someone sleeps in it or it is held."""
    bed = Bed.objects.select_for_update().select_related("room__shelter").get(pk=bed.pk)
    if not values.get("out_of_service", bed.out_of_service):
        # Back in service (or never out): no end date, no note.
        values = {**values, "out_of_service_until": None, "out_of_service_note": ""}
    _check_out_of_service(bed, values)
    audited_update(
        bed, actor=actor, values=values, allowed=BED_FIELDS, expected_version=expected_version
    )
    return bed


def bed_set_out_of_service(
    *, actor: User, bed: Bed, out_of_service: bool, expected_version: int | None = None
) -> Bed:
    return bed_update(
        actor=actor, bed=bed, out_of_service=out_of_service, expected_version=expected_version
    )


# --- Bed availability -------------------------------------------------------------------


def _bed_busy(bed: Bed, starts_on: date, *, exclude_stay: Stay | None = None) -> bool:
    """Does another stay occupy the bed on or after `starts_on`?"""
    overlapping = bed.occupancies.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on))
    if exclude_stay is not None:
        overlapping = overlapping.exclude(stay=exclude_stay)
    return overlapping.exists()


def _active_hold(bed: Bed, now=None) -> BedHold | None:
    now = now or timezone.now()
    return bed.holds.filter(released_at__isnull=True, expires_at__gt=now).first()


def _lock_free_bed(
    bed: Bed, starts_on: date, *, case: Case | None, exclude_stay: Stay | None = None
) -> Bed:
    bed = Bed.objects.select_for_update().select_related("room__shelter").get(pk=bed.pk)
    if not bed.in_service_on(starts_on):
        raise ValidationError({"bed": _("This bed is out of service.")})
    if _bed_busy(bed, starts_on, exclude_stay=exclude_stay):
        raise ValidationError({"bed": _("This bed is taken on that date.")})
    hold = _active_hold(bed)
    if hold is not None and (case is None or hold.case_id != case.pk):
        raise ValidationError(
            {
                "bed": _("This bed is held for someone else until %(time)s.")
                % {"time": timezone.localtime(hold.expires_at).strftime("%H:%M")}
            }
        )
    return bed


def _occupy(stay: Stay, bed: Bed, starts_on: date, *, child: Child | None = None) -> None:
    try:
        with transaction.atomic():
            BedOccupancy.objects.create(stay=stay, bed=bed, starts_on=starts_on, child=child)
    except IntegrityError:
        # The database saw an overlap the lock did not (another backend or process).
        raise ValidationError({"bed": _("This bed is taken on that date.")}) from None


# --- Stays --------------------------------------------------------------------------------


@transaction.atomic
def stay_admit(
    *,
    actor: User,
    case: Case,
    bed: Bed,
    admitted_on: date | None = None,
    expected_leave_on: date | None = None,
    children: Iterable[Child] = (),
    children_count: int | None = None,
    cots: Iterable[Bed] = (),
) -> Stay:
    """Admit her (and the children with her) to a free bed; `cots` are the free
    cots of the same shelter her children sleep in, one per child named, in order."""
    today = timezone.localdate()
    admitted_on = admitted_on or today
    if admitted_on > today:
        raise ValidationError(
            {"admitted_on": _("Admission cannot be in the future; hold the bed instead.")}
        )
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed. Reopen it first."))
    client = Client.objects.select_for_update().get(pk=case.client_id)
    if Stay.objects.filter(client=client, discharged_on__isnull=True).exists():
        raise ValidationError({"case": _("She already has an open stay.")})
    children = list(children)
    if any(child.client_id != client.pk for child in children):
        raise ValidationError({"children": _("Those are not her children.")})
    recorded_children = client.children.count()
    count = len(children) if children_count is None else children_count
    if count < len(children):
        raise ValidationError({"children_count": _("Fewer than the children named.")})
    if count > recorded_children:
        raise ValidationError(
            {
                "children_count": _("She has %(n)d children on record; record her children first.")
                % {"n": recorded_children}
            }
        )
    cots = list(cots)
    if len(cots) > len(children) or len({c.pk for c in cots}) < len(cots):
        raise ValidationError({"cots": _("One cot for each child named, at most.")})
    bed = _lock_free_bed(bed, admitted_on, case=case)
    shelter = bed.room.shelter
    cots = [_lock_free_bed(cot, admitted_on, case=case) for cot in cots]
    if any(c.kind != BedKind.COT or c.room.shelter_id != shelter.pk for c in cots):
        raise ValidationError({"cots": _("Choose cots of this shelter.")})
    if not shelter.is_active:
        raise ValidationError({"bed": _("This shelter is closed.")})
    expected = expected_leave_on or admitted_on + timedelta(days=shelter.max_stay_days)
    stay = Stay(
        client=client,
        case=case,
        shelter=shelter,
        bed=bed,
        admitted_on=admitted_on,
        expected_leave_on=expected,
        children_count=count,
        created_by=actor,
    )
    stay.full_clean()
    stay.save()
    stay.children.set(children)
    _occupy(stay, bed, admitted_on)
    for cot, child in zip(cots, children, strict=False):
        _occupy(stay, cot, admitted_on, child=child)
    BedHold.objects.filter(bed__in=[bed, *cots], released_at__isnull=True).update(
        released_at=timezone.now()
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=stay,
        fields=["bed", "admitted_on", "expected_leave_on", "children"],
    )
    _activity(
        kind=CaseActivity.Kind.CASE_UPDATED,
        actor=actor,
        client=client,
        case=case,
        obj=stay,
        label="shelter:admitted",
    )
    return stay


@transaction.atomic
def stay_move(*, actor: User, stay: Stay, bed: Bed, moved_on: date | None = None) -> Stay:
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    moved_on = moved_on or timezone.localdate()
    if not stay.is_open:
        raise ValidationError(_("This stay has ended."))
    if bed.pk == stay.bed_id:
        raise ValidationError({"bed": _("She is already in this bed.")})
    if moved_on < stay.admitted_on or moved_on > timezone.localdate():
        raise ValidationError({"moved_on": _("The move must be between admission and today.")})
    bed = _lock_free_bed(bed, moved_on, case=stay.case, exclude_stay=stay)
    if bed.room.shelter_id != stay.shelter_id:
        raise ValidationError(
            {"bed": _("Moves are within one shelter; discharge and admit to change shelter.")}
        )
    # Her own bed; her children's cots stay as they are.
    stay.occupancies.filter(ends_on__isnull=True, child__isnull=True).update(ends_on=moved_on)
    _occupy(stay, bed, moved_on)
    stay.bed = bed
    claim_version(stay)
    stay.save(update_fields=["bed", "version"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=stay, fields=["bed"])
    return stay


@transaction.atomic
def stay_discharge(
    *,
    actor: User,
    stay: Stay,
    discharged_on: date | None = None,
    destination: str = "",
    notes: str | None = None,
) -> Stay:
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    discharged_on = discharged_on or timezone.localdate()
    if not stay.is_open:
        raise ValidationError(_("This stay has already ended."))
    if discharged_on < stay.admitted_on:
        raise ValidationError({"discharged_on": _("Discharge cannot be before admission.")})
    if discharged_on > timezone.localdate():
        raise ValidationError({"discharged_on": _("Discharge cannot be in the future.")})
    last_move = stay.occupancies.filter(ends_on__isnull=True, child__isnull=True).first()
    if last_move is not None and discharged_on < last_move.starts_on:
        raise ValidationError({"discharged_on": _("Discharge cannot be before her last move.")})
    if not destination:
        raise ValidationError({"destination": _("Say where she went.")})
    stay.discharged_on, stay.destination, stay.discharge_notes = (discharged_on, destination, notes)
    stay.full_clean()
    claim_version(stay)
    stay.save(update_fields=["discharged_on", "destination", "discharge_notes", "version"])
    stay.occupancies.filter(ends_on__isnull=True).update(ends_on=discharged_on)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=stay,
        fields=["discharged_on", "destination", "discharge_notes"],
    )
    _activity(
        kind=CaseActivity.Kind.CASE_UPDATED,
        actor=actor,
        client=stay.client,
        case=stay.case,
        obj=stay,
        label=f"shelter:discharged:{destination}",
    )
    return stay


@transaction.atomic
def stay_update(
    *, actor: User, stay: Stay, expected_leave_on: date, expected_version: int | None = None
) -> Stay:
    changed = apply_changes(
        stay,
        {"expected_leave_on": expected_leave_on},
        ("expected_leave_on",),
        expected_version=expected_version,
    )
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=stay, fields=changed)
    return stay


# --- Bed holds --------------------------------------------------------------------------


@transaction.atomic
def bed_hold(
    *,
    actor: User,
    bed: Bed,
    case: Case | None = None,
    note: str = "",
    hours: int | None = None,
    request: BedRequest | None = None,
) -> BedHold:
    """Keep a free bed for a woman on her way, for the shelter's hold time."""
    today = timezone.localdate()
    bed = _lock_free_bed(bed, today, case=None)
    shelter = bed.room.shelter
    hours = hours or shelter.hold_hours
    if not 1 <= hours <= 72:
        raise ValidationError({"hours": _("A hold lasts between 1 and 72 hours.")})
    # A lapsed hold that nobody released yet is released now.
    bed.holds.filter(released_at__isnull=True).update(released_at=timezone.now())
    hold = BedHold.objects.create(
        bed=bed,
        case=case,
        request=request,
        note=note,
        held_by=actor,
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    audit_record(action=AuditAction.CREATE, actor=actor, obj=hold, fields=["bed", "case"])
    return hold


@transaction.atomic
def bed_hold_release(*, actor: User, hold: BedHold) -> BedHold:
    released = BedHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    if released:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=hold, fields=["released_at"])
    hold.refresh_from_db()
    return hold


def bed_holds_release_expired(now=None) -> int:
    """Release every lapsed hold (periodic task; a conditional UPDATE, safe to run
    twice at once). Returns how many were released."""
    now = now or timezone.now()
    return BedHold.objects.filter(released_at__isnull=True, expires_at__lte=now).update(
        released_at=now
    )
