"""The REST API of shelters: rooms, beds, stays, bed holds and the board.

Same habits as counselling.api:
- Lists and retrieves go through counselling.shelters.selectors, which take the
  user; retrieves are audited.
- Before every write the parent (shelter, room, bed, stay) is fetched with
  Need.WRITE: another branch's record answers 404, a record she may only read
  403. Records only referred to (her case) are fetched for reading: a shelter
  worker admits women whose case she reads.
- Setting up (shelters, rooms, beds) is for branch managers and administrators:
  the one rule the screens use too (counselling.access_rules.may_set_up).
- Every write goes through counselling.shelters.services.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.api import _home_branch, _writable
from counselling.models import Case
from counselling.shelters import availability, selectors, services
from counselling.shelters.access_rules import may_see_free_beds, require_set_up
from counselling.shelters.models import Bed, Room, Shelter
from counselling.shelters.serializers import (
    BedHoldInputSerializer,
    BedHoldSerializer,
    BedInputSerializer,
    BedSerializer,
    BedUpdateInputSerializer,
    RoomInputSerializer,
    RoomSerializer,
    RoomUpdateInputSerializer,
    ShelterAvailabilitySerializer,
    ShelterBoardSerializer,
    ShelterInputSerializer,
    ShelterSerializer,
    ShelterSummarySerializer,
    ShelterUpdateInputSerializer,
    StayAdmitInputSerializer,
    StayDetailSerializer,
    StayDischargeInputSerializer,
    StayMoveInputSerializer,
    StaySerializer,
    StayUpdateInputSerializer,
)
from ngo import access
from ngo.access import Need
from ngo.access.api import on_field, readable, validated
from ngo.access.viewsets import SelectedRecordViewSet
from ngo.lib.filters import IdFilter


class ShelterChildFilter(filters.FilterSet):
    """?shelter=<id>."""

    shelter = IdFilter(field_name="shelter_id")


# --- Shelters, rooms, beds -----------------------------------------------------------------


class ShelterViewSet(SelectedRecordViewSet):
    """The shelters of your branches: list, detail (address, rooms and beds),
    create and change, and the board."""

    serializer_class = ShelterSummarySerializer
    filterset_class = None
    ordering_fields = ["name"]

    def selected(self, user):
        return selectors.shelter_with_beds_list(user=user)

    def get_queryset(self):
        return selectors.shelter_list(user=self.request.user)

    def _detail(self, shelter, status_code=status.HTTP_200_OK):
        return Response(ShelterSerializer(self.reload(shelter)).data, status=status_code)

    @extend_schema(responses=ShelterSerializer)
    def retrieve(self, request, pk=None):
        return Response(ShelterSerializer(self.get_object()).data)

    @extend_schema(request=ShelterInputSerializer, responses={201: ShelterSerializer})
    def create(self, request):
        require_set_up(request.user, Shelter)
        values = validated(ShelterInputSerializer, request.data)
        branch = values.pop("branch", None) or _home_branch(request.user)
        try:
            shelter = services.shelter_create(actor=request.user, branch=branch, **values)
        except DjangoValidationError as error:
            raise on_field(error, "name") from None
        return self._detail(shelter, status.HTTP_201_CREATED)

    @extend_schema(request=ShelterUpdateInputSerializer, responses=ShelterSerializer)
    def partial_update(self, request, pk=None):
        """Rename, change the limits, close: setting up, as creating is."""
        shelter = self.get_object()
        require_set_up(request.user, shelter, shelter.branch)
        values = validated(ShelterUpdateInputSerializer, request.data, partial=True)
        try:
            shelter = services.shelter_update(actor=request.user, shelter=shelter, **values)
        except DjangoValidationError as error:
            raise on_field(error, "name") from None
        return self._detail(shelter)

    @extend_schema(responses=ShelterAvailabilitySerializer(many=True))
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def availability(self, request):
        """Free adult beds and cots of every open shelter of every branch, today
        and each of the next 7 days: counts, the shelter's public name, branch
        and region only. For every counsellor and shelter worker."""
        if not may_see_free_beds(request.user):
            access.refuse(request.user, Shelter, reason="capability")
        rows = availability.free_beds()
        return Response(ShelterAvailabilitySerializer(rows, many=True).data)

    @extend_schema(responses=ShelterBoardSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def board(self, request, pk=None):
        """Every bed today (free, held, occupied by a case code, out of service),
        the counts, arrivals and leaves due this week, and monthly occupancy."""
        shelter = self.get_object()  # audited read
        today = timezone.localdate()
        board = selectors.shelter_board(user=request.user, shelter=shelter, today=today)
        beds = []
        for state in board["beds"]:
            beds.append(
                {
                    "id": state.bed.pk,
                    "room": state.bed.room.name,
                    "label": state.bed.label,
                    "kind": state.bed.kind,
                    "status": state.status,
                    "case_code": state.stay.client.case_code if state.stay else None,
                    "stay": state.stay.pk if state.stay else None,
                    "hold_expires_at": state.hold.expires_at if state.hold else None,
                }
            )
        data = {
            "shelter": shelter,
            "date": today,
            "beds": beds,
            "counts": board["counts"],
            "arrivals": [
                {"stay": s.pk, "case_code": s.client.case_code, "admitted_on": s.admitted_on}
                for s in board["arrivals"]
            ],
            "leaves_due": [
                {
                    "stay": s.pk,
                    "case_code": s.client.case_code,
                    "expected_leave_on": s.expected_leave_on,
                }
                for s in board["leaves_due"]
            ],
            "months": board["months"],
        }
        return Response(ShelterBoardSerializer(data).data)


class RoomViewSet(SelectedRecordViewSet):
    """Rooms of a shelter (?shelter=), with their beds; add one with POST;
    PATCH renames it or takes it out of service (If-Match honoured)."""

    serializer_class = RoomSerializer
    filterset_class = ShelterChildFilter
    ordering_fields = ["name"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=RoomUpdateInputSerializer, responses=RoomSerializer)
    def partial_update(self, request, pk=None):
        room = self.get_object()
        values = validated(RoomUpdateInputSerializer, request.data)
        try:
            room = services.room_update(actor=request.user, room=room, **values)
        except DjangoValidationError as error:
            raise on_field(error, "name") from None
        return Response(RoomSerializer(self.reload(room)).data)

    def selected(self, user):
        return selectors.room_list(user=user)

    @extend_schema(request=RoomInputSerializer, responses={201: RoomSerializer})
    def create(self, request):
        values = validated(RoomInputSerializer, request.data)
        shelter = _writable(request.user, Shelter, values.pop("shelter"))
        require_set_up(request.user, Room, shelter.branch)
        try:
            room = services.room_create(actor=request.user, shelter=shelter, **values)
        except DjangoValidationError as error:
            raise on_field(error, "name") from None
        return Response(RoomSerializer(self.reload(room)).data, status=status.HTTP_201_CREATED)


class BedFilter(filters.FilterSet):
    """?shelter=, ?room=."""

    shelter = IdFilter(field_name="room__shelter_id")
    room = IdFilter(field_name="room_id")


class BedViewSet(SelectedRecordViewSet):
    """Beds (?shelter=, ?room=): add one to a room; PATCH relabels it or takes
    it out of service (until a date, with a note; not while someone sleeps in
    it or it is held) or back. If-Match honoured."""

    serializer_class = BedSerializer
    filterset_class = BedFilter
    ordering_fields = ["label"]

    def selected(self, user):
        return selectors.bed_list(user=user)

    @extend_schema(request=BedInputSerializer, responses={201: BedSerializer})
    def create(self, request):
        values = validated(BedInputSerializer, request.data)
        room = selectors.room_get(user=request.user, pk=values.pop("room"), need=Need.WRITE)
        require_set_up(request.user, Bed, room.shelter.branch)
        try:
            bed = services.bed_create(actor=request.user, room=room, **values)
        except DjangoValidationError as error:
            raise on_field(error, "label") from None
        return Response(BedSerializer(self.reload(bed)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BedUpdateInputSerializer, responses=BedSerializer)
    def partial_update(self, request, pk=None):
        bed = self.get_object()
        values = validated(BedUpdateInputSerializer, request.data)
        try:
            bed = services.bed_update(actor=request.user, bed=bed, **values)
        except DjangoValidationError as error:
            raise on_field(error, "label") from None
        return Response(BedSerializer(self.reload(bed)).data)


# --- Stays and holds --------------------------------------------------------------------------


class StayFilter(filters.FilterSet):
    """?shelter=, ?case=, ?open=true|false, ?admitted_from=, ?admitted_until=."""

    shelter = IdFilter(field_name="shelter_id")
    case = IdFilter(field_name="case_id")
    open = filters.BooleanFilter(field_name="discharged_on", lookup_expr="isnull")
    admitted_from = filters.DateFilter(field_name="admitted_on", lookup_expr="gte")
    admitted_until = filters.DateFilter(field_name="admitted_on", lookup_expr="lte")


class StayViewSet(SelectedRecordViewSet):
    """Stays, admission to discharge. Shelter staff see those of their shelters,
    counsellors those of the cases they see. The woman is named by her case code."""

    serializer_class = StaySerializer
    filterset_class = StayFilter
    ordering_fields = ["admitted_on", "expected_leave_on", "discharged_on"]

    def selected(self, user):
        return selectors.stay_list(user=user)

    def _stay(self, stay, status_code=status.HTTP_200_OK):
        return Response(StayDetailSerializer(self.reload(stay)).data, status=status_code)

    @extend_schema(responses=StayDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(StayDetailSerializer(self.get_object()).data)

    @extend_schema(request=StayAdmitInputSerializer, responses={201: StayDetailSerializer})
    def create(self, request):
        """Admit her (and the children with her) to a free bed."""
        values = validated(StayAdmitInputSerializer, request.data)
        bed = _writable(request.user, Bed, values.pop("bed"))
        case_id = values.pop("case")
        held = selectors.held_request_case(bed=bed)
        # A woman of another branch, for whom the bed is held at a bed request.
        case = held if held is not None and held.pk == case_id else None
        case = case or readable(request.user, Case, case_id)
        child_ids = set(values.pop("children"))
        children = list(selectors.children_of_case(case=case).filter(pk__in=child_ids))
        if len(children) != len(child_ids):
            raise DjangoValidationError({"children": _("Those are not her children.")})
        try:
            stay = services.stay_admit(
                actor=request.user, case=case, bed=bed, children=children, **values
            )
        except DjangoValidationError as error:
            raise on_field(error, "case") from None
        return self._stay(stay, status.HTTP_201_CREATED)

    @extend_schema(request=StayUpdateInputSerializer, responses=StayDetailSerializer)
    def partial_update(self, request, pk=None):
        """Change the expected leave date."""
        stay = self.get_object()
        values = validated(StayUpdateInputSerializer, request.data)
        try:
            stay = services.stay_update(actor=request.user, stay=stay, **values)
        except DjangoValidationError as error:
            raise on_field(error, "expected_leave_on") from None
        return self._stay(stay)

    @extend_schema(request=StayMoveInputSerializer, responses=StayDetailSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request, pk=None):
        """Move her to another free bed of the same shelter."""
        stay = self.get_object()
        values = validated(StayMoveInputSerializer, request.data)
        bed = _writable(request.user, Bed, values.pop("bed"))
        stay = services.stay_move(actor=request.user, stay=stay, bed=bed, **values)
        return self._stay(stay)

    @extend_schema(request=StayDischargeInputSerializer, responses=StayDetailSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def discharge(self, request, pk=None):
        """End the stay: when, and where she went."""
        stay = self.get_object()
        values = validated(StayDischargeInputSerializer, request.data)
        try:
            stay = services.stay_discharge(actor=request.user, stay=stay, **values)
        except DjangoValidationError as error:
            raise on_field(error, "discharged_on") from None
        return self._stay(stay)


class BedHoldFilter(filters.FilterSet):
    """?shelter=, ?bed=, ?active=true|false."""

    shelter = IdFilter(field_name="bed__room__shelter_id")
    bed = IdFilter(field_name="bed_id")
    active = filters.BooleanFilter(method="filter_active")

    def filter_active(self, queryset, name, value):
        active = Q(released_at__isnull=True, expires_at__gt=timezone.now())
        return queryset.filter(active) if value else queryset.exclude(active)


class BedHoldViewSet(SelectedRecordViewSet):
    """Beds kept free for a woman on her way; a hold lapses by itself after the
    shelter's hold time (or `hours`), or is released."""

    serializer_class = BedHoldSerializer
    filterset_class = BedHoldFilter
    ordering_fields = ["created_at", "expires_at"]
    http_method_names = ["get", "post", "head", "options"]

    def selected(self, user):
        return selectors.bed_hold_list(user=user)

    @extend_schema(request=BedHoldInputSerializer, responses={201: BedHoldSerializer})
    def create(self, request):
        values = validated(BedHoldInputSerializer, request.data)
        bed = _writable(request.user, Bed, values.pop("bed"))
        case_id = values.pop("case", None)
        case = readable(request.user, Case, case_id) if case_id is not None else None
        hold = services.bed_hold(actor=request.user, bed=bed, case=case, **values)
        return Response(BedHoldSerializer(self.reload(hold)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BedHoldSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def release(self, request, pk=None):
        """Free the bed now (a released or lapsed hold stays as it is)."""
        hold = services.bed_hold_release(actor=request.user, hold=self.get_object())
        return Response(BedHoldSerializer(self.reload(hold)).data)


ROUTES = [
    ("shelters", ShelterViewSet, "shelter"),
    ("rooms", RoomViewSet, "room"),
    ("beds", BedViewSet, "bed"),
    ("stays", StayViewSet, "stay"),
    ("bed-holds", BedHoldViewSet, "bed-hold"),
]
