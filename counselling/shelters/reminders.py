"""The shelter deadlines that reminders watch: the day she is expected to leave,
and a bed hold about to lapse. The reference is her case code, never her name.

The keys still begin with "counselling.": they are stored with the reminder rules
and the dated items, and were chosen before shelters became an app of their own."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from counselling.models import Case
from counselling.reminders import ASSIGNED, _on_case, _staff_by_branch
from counselling.shelters.models import BedHold, BedRequest, BedRequestStatus, Stay
from ngo.accounts.roles import Role
from ngo.reminders.registry import Item, Rule, Source, register


@register
class ShelterLeave(Source):
    key = "counselling.stay_expected_leave"
    label = _("Expected to leave the shelter")
    model = Stay
    due_field = "expected_leave_on"
    audiences = {**ASSIGNED, "shelter": _("Shelter staff of the branch")}
    default_rules = [Rule(7, "shelter"), Rule(7, "assigned")]
    watch = {Stay: lambda stay: [stay.pk], Case.assigned.through: _on_case(Stay)}

    def queryset(self):
        return (
            Stay.objects.filter(discharged_on__isnull=True)
            .select_related("client", "shelter")
            .prefetch_related("case__assigned")
        )

    def items(self, records):
        records = list(records)
        workers = _staff_by_branch(Role.SHELTER_WORKER, {s.shelter.branch_id for s in records})
        for stay in records:
            yield Item(
                record=stay,
                due=stay.expected_leave_on,
                reference=stay.client.case_code,
                url=reverse("shelters:stay_detail", args=[stay.pk]),
                recipients={
                    "assigned": {u.pk for u in stay.case.assigned.all()},
                    "shelter": workers.get(stay.shelter.branch_id, set()),
                },
                branch_id=stay.shelter.branch_id,
            )


@register
class BedHoldExpiry(Source):
    key = "counselling.bed_hold_expiry"
    label = _("Bed hold about to lapse")
    model = BedHold
    due_field = "expires_at"
    audiences = {"holder": _("Who placed the hold")}
    default_rules = [Rule(0, "holder", minutes_before=30)]
    watch = {BedHold: lambda hold: [hold.pk]}

    def queryset(self):
        return BedHold.objects.filter(released_at__isnull=True).select_related(
            "case__client", "bed__room__shelter"
        )

    def items(self, records):
        for hold in records:
            shelter = hold.bed.room.shelter
            yield Item(
                record=hold,
                due=hold.expires_at,
                reference=hold.case.client.case_code if hold.case_id else str(hold.bed),
                url=reverse("shelters:shelter_board", args=[shelter.pk]),
                recipients={"holder": {hold.held_by_id}},
                branch_id=shelter.branch_id,
            )


@register
class BedRequestPending(Source):
    """A bed request waiting for the shelter's answer: its staff (the shelter
    workers and the managers of the shelter's branch) are told the day before
    the date asked and on the day."""

    key = "shelters.bed_request_pending"
    label = _("Bed request waiting for an answer")
    model = BedRequest
    due_field = "from_date"
    audiences = {"shelter": _("Shelter staff and managers of the shelter's branch")}
    default_rules = [Rule(1, "shelter"), Rule(0, "shelter")]
    watch = {BedRequest: lambda request: [request.pk]}

    def queryset(self):
        return BedRequest.objects.filter(status=BedRequestStatus.PENDING).select_related(
            "case__client", "shelter"
        )

    def items(self, records):
        records = list(records)
        branches = {r.shelter.branch_id for r in records}
        workers = _staff_by_branch(Role.SHELTER_WORKER, branches)
        managers = _staff_by_branch(Role.BRANCH_MANAGER, branches)
        for request in records:
            branch_id = request.shelter.branch_id
            yield Item(
                record=request,
                due=request.from_date,
                reference=request.case.client.case_code,
                url=reverse("shelters:bed_request_detail", args=[request.pk]),
                recipients={
                    "shelter": workers.get(branch_id, set()) | managers.get(branch_id, set())
                },
                branch_id=branch_id,
            )
