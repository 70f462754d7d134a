"""REST representations of shelters, rooms, beds, stays and holds: output
serializers say what a reader sees, input serializers what a writer may send.

A woman in a shelter is named by her case code, never by her name: the board,
the stays and the holds carry `case_code` only. Inputs are checked for shape
here; the rules (free beds, dates, her children) belong to
counselling.shelters.services, whose ValidationErrors the API turns into 400s.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from counselling.serializers import FlatListField, UserRefSerializer, _text
from counselling.shelters.models import (
    Bed,
    BedHold,
    BedKind,
    BedRequest,
    BedRequestUrgency,
    DischargeDestination,
    Room,
    Shelter,
    Stay,
)
from ngo.access.fields import BoundedDateField, BoundedDateTimeField
from ngo.accounts.serializers import branch_code_field
from ngo.lib.filters import ID_MAX

BED_STATUSES = [
    ("free", _("Free")),
    ("held", _("Held")),
    ("occupied", _("Occupied")),
    ("out_of_service", _("Out of service")),
]


# --- Output: shelters, rooms, beds ------------------------------------------------------


class BedSerializer(serializers.ModelSerializer):
    room_name = serializers.CharField(source="room.name", read_only=True)
    shelter = serializers.IntegerField(source="room.shelter_id", read_only=True)

    class Meta:
        model = Bed
        fields = [
            "id",
            "version",
            "shelter",
            "room",
            "room_name",
            "label",
            "kind",
            "out_of_service",
            "out_of_service_until",
            "out_of_service_note",
        ]
        read_only_fields = fields


class RoomBedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bed
        fields = ["id", "label", "kind", "out_of_service"]
        read_only_fields = fields


class RoomSerializer(serializers.ModelSerializer):
    beds = RoomBedSerializer(many=True, read_only=True)

    class Meta:
        model = Room
        fields = [
            "id",
            "version",
            "shelter",
            "name",
            "out_of_service",
            "out_of_service_note",
            "beds",
        ]
        read_only_fields = fields


SHELTER_SUMMARY_FIELDS = [
    "id",
    "version",
    "branch",
    "name",
    "public_name",
    "max_stay_days",
    "hold_hours",
    "is_active",
]


class ShelterSummarySerializer(serializers.ModelSerializer):
    """A shelter in a list: never its address."""

    branch = serializers.CharField(source="branch.code", read_only=True)

    class Meta:
        model = Shelter
        fields = SHELTER_SUMMARY_FIELDS
        read_only_fields = fields


class ShelterSerializer(ShelterSummarySerializer):
    """One shelter: its (confidential) address and its rooms and beds."""

    rooms = RoomSerializer(many=True, read_only=True)

    class Meta:
        model = Shelter
        fields = [*SHELTER_SUMMARY_FIELDS, "address", "rooms"]
        read_only_fields = fields


# --- Output: the board ----------------------------------------------------------------


class BoardBedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    room = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=BedKind.choices)
    status = serializers.ChoiceField(choices=BED_STATUSES)
    case_code = serializers.CharField(
        allow_null=True, help_text="The occupant's case code (never her name)."
    )
    stay = serializers.IntegerField(allow_null=True)
    hold_expires_at = BoundedDateTimeField(allow_null=True)


class BoardCountsSerializer(serializers.Serializer):
    free = serializers.IntegerField()
    held = serializers.IntegerField()
    occupied = serializers.IntegerField()
    out_of_service = serializers.IntegerField()


class BoardArrivalSerializer(serializers.Serializer):
    stay = serializers.IntegerField()
    case_code = serializers.CharField()
    admitted_on = BoundedDateField()


class BoardLeaveSerializer(serializers.Serializer):
    stay = serializers.IntegerField()
    case_code = serializers.CharField()
    expected_leave_on = BoundedDateField()


class OccupancyMonthSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    bed_nights = serializers.IntegerField()
    capacity = serializers.IntegerField(help_text="Beds in service times days in the month.")
    rate = serializers.FloatField(help_text="Occupied bed-nights in % of capacity.")


class ShelterBoardSerializer(serializers.Serializer):
    """Every bed today, arrivals and leaves due this week (Monday to Sunday), and
    the occupancy of the last six months (this month first)."""

    shelter = ShelterSummarySerializer()
    date = BoundedDateField()
    beds = BoardBedSerializer(many=True)
    counts = BoardCountsSerializer()
    arrivals = BoardArrivalSerializer(many=True)
    leaves_due = BoardLeaveSerializer(many=True)
    months = OccupancyMonthSerializer(many=True)


# --- Output: stays and holds -----------------------------------------------------------

STAY_FIELDS = [
    "id",
    "version",
    "shelter",
    "case",
    "case_code",
    "bed",
    "room_name",
    "bed_label",
    "admitted_on",
    "expected_leave_on",
    "children",
    "children_count",
    "discharged_on",
    "destination",
    "is_open",
    "created_by",
    "created_at",
]


class StaySerializer(serializers.ModelSerializer):
    case_code = serializers.CharField(source="client.case_code", read_only=True)
    room_name = serializers.CharField(source="bed.room.name", read_only=True)
    bed_label = serializers.CharField(source="bed.label", read_only=True)
    children = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Stay
        fields = STAY_FIELDS
        read_only_fields = fields


class StayDetailSerializer(StaySerializer):
    class Meta:
        model = Stay
        fields = [*STAY_FIELDS, "discharge_notes"]
        read_only_fields = fields


class BedHoldSerializer(serializers.ModelSerializer):
    shelter = serializers.IntegerField(source="bed.room.shelter_id", read_only=True)
    case_code = serializers.CharField(
        source="case.client.case_code", read_only=True, allow_null=True, default=None
    )
    held_by = UserRefSerializer(read_only=True)
    is_active = serializers.BooleanField(read_only=True, help_text="Neither released nor lapsed.")

    class Meta:
        model = BedHold
        fields = [
            "id",
            "shelter",
            "bed",
            "case",
            "case_code",
            "note",
            "held_by",
            "created_at",
            "expires_at",
            "released_at",
            "is_active",
        ]
        read_only_fields = fields


# --- Input: shelters ----------------------------------------------------------------------


class ShelterUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    public_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = _text()
    max_stay_days = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    hold_hours = serializers.IntegerField(required=False, min_value=1, max_value=72)
    is_active = serializers.BooleanField(required=False)


class ShelterInputSerializer(ShelterUpdateInputSerializer):
    branch = branch_code_field()
    name = serializers.CharField(max_length=100)


class RoomInputSerializer(serializers.Serializer):
    shelter = serializers.IntegerField()
    name = serializers.CharField(max_length=50)


class BedInputSerializer(serializers.Serializer):
    room = serializers.IntegerField()
    label = serializers.CharField(max_length=20)
    kind = serializers.ChoiceField(choices=BedKind.choices, default=BedKind.ADULT)


class BedUpdateInputSerializer(serializers.Serializer):
    """Any of: a new label or kind; out of service (until a date, with a note) or back."""

    label = serializers.CharField(max_length=20, required=False)
    kind = serializers.ChoiceField(choices=BedKind.choices, required=False)
    out_of_service = serializers.BooleanField(required=False)
    out_of_service_until = BoundedDateField(required=False, allow_null=True)
    out_of_service_note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RoomUpdateInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False)
    out_of_service = serializers.BooleanField(required=False)
    out_of_service_note = serializers.CharField(max_length=200, required=False, allow_blank=True)


# --- Free beds across branches ------------------------------------------------------------


class FreeDaySerializer(serializers.Serializer):
    date = serializers.DateField(source="day")
    adult = serializers.IntegerField(help_text="Free adult beds that day.")
    cot = serializers.IntegerField(help_text="Free child cots that day.")


class ShelterAvailabilitySerializer(serializers.Serializer):
    """Counts only: the shelter's public name and branch, never its address or
    anything about who is in it."""

    shelter = serializers.IntegerField(source="shelter_id")
    name = serializers.CharField()
    branch = serializers.CharField(source="branch_code")
    region = serializers.CharField()
    days = FreeDaySerializer(many=True)


class StayAdmitInputSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    bed = serializers.IntegerField()
    admitted_on = BoundedDateField(required=False, help_text="Defaults to today.")
    expected_leave_on = BoundedDateField(
        required=False, help_text="Defaults to admission plus the shelter's maximum stay."
    )
    children = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="Ids of her recorded children who come with her.",
    )
    children_count = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="Children with her; defaults to the number named in `children`.",
    )

    def validate(self, attrs):
        admitted_on = attrs.get("admitted_on") or timezone.localdate()
        leave_on = attrs.get("expected_leave_on")
        if leave_on and leave_on < admitted_on:
            raise serializers.ValidationError(
                {"expected_leave_on": _("The expected leave date is before admission.")}
            )
        return attrs


class StayUpdateInputSerializer(serializers.Serializer):
    expected_leave_on = BoundedDateField()


class StayMoveInputSerializer(serializers.Serializer):
    bed = serializers.IntegerField()
    moved_on = BoundedDateField(required=False, help_text="Defaults to today.")


class StayDischargeInputSerializer(serializers.Serializer):
    discharged_on = BoundedDateField(required=False, help_text="Defaults to today.")
    destination = serializers.ChoiceField(choices=DischargeDestination.choices)
    notes = _text()


class BedHoldInputSerializer(serializers.Serializer):
    bed = serializers.IntegerField()
    case = serializers.IntegerField(
        required=False, allow_null=True, help_text="The case of the woman on her way, if known."
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)
    hours = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=72,
        help_text="Defaults to the shelter's hold time.",
    )


# --- Bed requests across branches ----------------------------------------------------------


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class BedRequestHoldSerializer(serializers.ModelSerializer):
    """A bed held for her at an accepted request: the bed, never who sleeps nearby."""

    room_name = serializers.CharField(source="bed.room.name", read_only=True)
    bed_label = serializers.CharField(source="bed.label", read_only=True)
    kind = serializers.ChoiceField(source="bed.kind", choices=BedKind.choices, read_only=True)

    class Meta:
        model = BedHold
        fields = ["id", "bed", "room_name", "bed_label", "kind", "expires_at", "released_at"]
        read_only_fields = fields


class BedRequestSerializer(serializers.ModelSerializer):
    """A request, as the workers of her case and the staff of the shelter asked
    read it (nobody else reads it at all). She is named by her case code."""

    case_code = serializers.CharField(source="case.client.case_code", read_only=True)
    case_branch = serializers.CharField(source="case.branch.code", read_only=True)
    shelter_name = serializers.CharField(source="shelter.shown_name", read_only=True)
    shelter_branch = serializers.CharField(source="shelter.branch.code", read_only=True)
    children = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of her children who come with her (a cot each)."
    )
    holds = BedRequestHoldSerializer(many=True, read_only=True)
    requested_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = BedRequest
        fields = [
            "id",
            "case",
            "case_code",
            "case_branch",
            "shelter",
            "shelter_name",
            "shelter_branch",
            "adult_beds",
            "cots",
            "children",
            "from_date",
            "urgency",
            "reason",
            "status",
            "decline_reason",
            "holds",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields


class BedRequestInputSerializer(serializers.Serializer):
    case = _id(help_text="Her case: one you may change.")
    shelter = _id(help_text="An open shelter of any branch (see /shelters/availability/).")
    adult_beds = serializers.IntegerField(min_value=0, max_value=5, default=1)
    children = FlatListField(
        child=_id(),
        required=False,
        default=list,
        max_length=10,
        help_text="Ids of her recorded children who come with her: a cot each.",
    )
    from_date = BoundedDateField(help_text="Today or later.")
    urgency = serializers.ChoiceField(
        choices=BedRequestUrgency.choices, default=BedRequestUrgency.SOON
    )
    reason = serializers.CharField(
        max_length=2000, help_text="What the shelter's staff need to know."
    )


class BedRequestAcceptInputSerializer(serializers.Serializer):
    beds = FlatListField(
        child=_id(),
        min_length=1,
        max_length=15,
        help_text="The beds to hold: as many adult beds and cots as asked, of the shelter.",
    )


class BedRequestDeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Read by the requester.")
