"""Writes on bed requests: a counsellor of any branch asks a shelter for beds for
a woman of her case; the shelter's staff accept (holding the beds chosen, as a
hold is placed on the board) or decline with a reason.

The callers have checked access: the case with Need.WRITE for a request; the
request with Need.WRITE and its shelter with Need.WRITE for a decision."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import Case, CaseStatus, Child
from counselling.shelters import services
from counselling.shelters.availability import free_on
from counselling.shelters.models import (
    Bed,
    BedKind,
    BedRequest,
    BedRequestStatus,
    Shelter,
)
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record


@transaction.atomic
def bed_request_create(
    *,
    actor: User,
    case: Case,
    shelter: Shelter,
    from_date: date,
    reason: str,
    urgency: str,
    adult_beds: int = 1,
    children: Iterable[Child] = (),
) -> BedRequest:
    """Ask `shelter` for `adult_beds` beds and a cot for each child named, from
    `from_date`; refused (nothing saved) for a closed case, a past date, or more
    than the shelter has free on that date."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed. Reopen it first."))
    if from_date < timezone.localdate():
        raise ValidationError({"from_date": _("The date is in the past.")})
    if not shelter.is_active:
        raise ValidationError({"shelter": _("This shelter is closed.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why she needs a bed.")})
    children = list(children)
    if any(child.client_id != case.client_id for child in children):
        raise ValidationError({"children": _("Those are not her children.")})
    cots = len(children)
    if adult_beds < 0 or adult_beds > 5:
        raise ValidationError({"adult_beds": _("Between 0 and 5 adult beds.")})
    if adult_beds == 0 and cots == 0:
        raise ValidationError({"adult_beds": _("Ask for at least one bed or cot.")})
    if BedRequest.objects.filter(
        case=case, shelter=shelter, status=BedRequestStatus.PENDING
    ).exists():
        raise ValidationError(_("This case already has a pending request at this shelter."))
    free = free_on(shelter=shelter, day=from_date)
    if adult_beds > free.adult:
        raise ValidationError(
            {
                "adult_beds": _("The shelter has %(n)d free adult beds on that date.")
                % {"n": free.adult}
            }
        )
    if cots > free.cot:
        raise ValidationError(
            {"children": _("The shelter has %(n)d free cots on that date.") % {"n": free.cot}}
        )
    request = BedRequest(
        case=case,
        shelter=shelter,
        adult_beds=adult_beds,
        cots=cots,
        from_date=from_date,
        urgency=urgency,
        reason=reason.strip(),
        requested_by=actor,
    )
    request.full_clean()
    request.save()
    request.children.set(children)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=request,
        fields=["case", "shelter", "adult_beds", "cots", "from_date", "urgency", "reason"],
    )
    return request


def _claim_pending(request: BedRequest) -> BedRequest:
    request = BedRequest.objects.select_for_update().select_related("shelter").get(pk=request.pk)
    if not request.is_pending:
        raise ValidationError(
            _("This request is already %(status)s.") % {"status": request.get_status_display()}
        )
    return request


@transaction.atomic
def bed_request_accept(*, actor: User, request: BedRequest, beds: Iterable[Bed]) -> BedRequest:
    """Hold the beds chosen for her (as many adult beds and cots as asked, all of
    the shelter); the holds lapse after the shelter's hold time, as any hold."""
    request = _claim_pending(request)
    beds = list(beds)
    if len({bed.pk for bed in beds}) != len(beds):
        raise ValidationError({"beds": _("Choose each bed once.")})
    if any(bed.room.shelter_id != request.shelter_id for bed in beds):
        raise ValidationError({"beds": _("Choose beds of this shelter.")})
    adults = sum(1 for bed in beds if bed.kind == BedKind.ADULT)
    cots = len(beds) - adults
    if (adults, cots) != (request.adult_beds, request.cots):
        raise ValidationError(
            {
                "beds": _("Choose %(adults)d adult beds and %(cots)d cots.")
                % {"adults": request.adult_beds, "cots": request.cots}
            }
        )
    for bed in beds:
        services.bed_hold(actor=actor, bed=bed, case=request.case, request=request)
    request.status = BedRequestStatus.ACCEPTED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=request, fields=["status"])
    return request


@transaction.atomic
def bed_request_decline(*, actor: User, request: BedRequest, reason: str) -> BedRequest:
    request = _claim_pending(request)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the request is declined.")})
    request.status = BedRequestStatus.DECLINED
    request.decline_reason = reason.strip()
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=request, fields=["status", "decline_reason"]
    )
    return request


@transaction.atomic
def bed_request_cancel(*, actor: User, request: BedRequest) -> BedRequest:
    """The requester no longer needs the beds (a pending request only)."""
    request = _claim_pending(request)
    request.status = BedRequestStatus.CANCELLED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=request, fields=["status"])
    return request
