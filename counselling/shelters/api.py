"""The REST API of shelters: rooms, beds, stays, bed holds, the board, and the
bed requests across branches.

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
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.api import _home_branch, _writable
from counselling.models import Case
from counselling.shelters import availability, bed_requests, selectors, services
from counselling.shelters.access_rules import (
    may_cancel,
    may_decide,
    may_request_beds,
    may_see_free_beds,
    reads_bed_requests,
    require_set_up,
)
from counselling.shelters.models import Bed, BedRequest, BedRequestStatus, Room, Shelter
from counselling.shelters.serializers import (
    BedHoldInputSerializer,
    BedHoldSerializer,
    BedInputSerializer,
    BedRequestAcceptInputSerializer,
    BedRequestDeclineInputSerializer,
    BedRequestInputSerializer,
    BedRequestSerializer,
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
from ngo.access.api import IsVerifiedStaff, on_field, readable, validated
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


# --- Bed requests across branches ----------------------------------------------------------


class ReadsBedRequests(permissions.BasePermission):
    """The route catalogue's gate: some bed requests to read (403 otherwise)."""

    def has_permission(self, request, view):
        return reads_bed_requests(request.user)


class BedRequestFilter(filters.FilterSet):
    """?status=, ?shelter=, ?case=, ?direction=incoming|outgoing."""

    status = filters.ChoiceFilter(choices=BedRequestStatus.choices)
    shelter = IdFilter(field_name="shelter_id")
    case = IdFilter(field_name="case_id")
    direction = filters.ChoiceFilter(
        choices=[
            ("incoming", _("To the shelters she runs")),
            ("outgoing", _("For her cases, to other shelters")),
        ],
        method="filter_direction",
    )

    def filter_direction(self, queryset, name, value):
        runs = selectors.shelters_run_by(user=self.request.user)
        if value == "incoming":
            return queryset.filter(shelter_id__in=runs)
        return queryset.exclude(shelter_id__in=runs)


class BedRequestViewSet(SelectedRecordViewSet):
    """Beds asked of a shelter of any branch for a woman of her case. Read by the
    workers of the case and the staff of the shelter asked (404 to anyone
    else); the shelter's staff accept (holding beds) or decline, the case's
    workers cancel while it is pending."""

    serializer_class = BedRequestSerializer
    filterset_class = BedRequestFilter
    permission_classes = [IsVerifiedStaff, ReadsBedRequests]
    ordering_fields = ["requested_at", "from_date"]
    http_method_names = ["get", "post", "head", "options"]

    def selected(self, user):
        return selectors.bed_request_records(user=user)

    def _request(self, bed_request, status_code=status.HTTP_200_OK):
        return Response(BedRequestSerializer(self.reload(bed_request)).data, status=status_code)

    @extend_schema(request=BedRequestInputSerializer, responses={201: BedRequestSerializer})
    def create(self, request):
        """Ask for beds: refused (400, nothing saved) for a closed case, a past
        date, more beds than the shelter has free then, or a second pending
        request of the case at that shelter."""
        if not may_request_beds(request.user):
            access.refuse(request.user, BedRequest, reason="capability")
        values = validated(BedRequestInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        shelter = selectors.shelter_to_ask(pk=values.pop("shelter"))
        if shelter is None:
            raise DjangoValidationError({"shelter": _("No open shelter has this id.")})
        child_ids = values.pop("children")
        children = list(selectors.children_of_case(case=case).filter(pk__in=child_ids))
        if len(children) != len(set(child_ids)):
            raise DjangoValidationError({"children": _("Those are not her children.")})
        try:
            made = bed_requests.bed_request_create(
                actor=request.user, case=case, shelter=shelter, children=children, **values
            )
        except DjangoValidationError as error:
            raise on_field(error, "case") from None
        return self._request(made, status.HTTP_201_CREATED)

    def _decided(self):
        bed_request = self.get_object()
        if not may_decide(self.request.user, bed_request):
            access.refuse(self.request.user, bed_request, reason="not_shelter_staff")
        return bed_request

    @extend_schema(request=BedRequestAcceptInputSerializer, responses=BedRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request, pk=None):
        """Hold the beds named for her (the shelter's staff, a pending request)."""
        bed_request = self._decided()
        values = validated(BedRequestAcceptInputSerializer, request.data)
        beds = selectors.beds_to_hold(bed_request=bed_request, pks=values["beds"])
        if beds is None:
            raise DjangoValidationError({"beds": _("Choose beds of this shelter.")})
        try:
            bed_request = bed_requests.bed_request_accept(
                actor=request.user, request=bed_request, beds=beds
            )
        except DjangoValidationError as error:
            # A bed that is not free is named as the input named it: "beds".
            error = on_field(error, "beds")
            if "bed" in getattr(error, "error_dict", {}):
                errors = dict(error.error_dict)
                errors["beds"] = errors.pop("bed") + errors.get("beds", [])
                error = DjangoValidationError(errors)
            raise error from None
        return self._request(bed_request)

    @extend_schema(request=BedRequestDeclineInputSerializer, responses=BedRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def decline(self, request, pk=None):
        """Decline, saying why (the shelter's staff, a pending request)."""
        bed_request = self._decided()
        values = validated(BedRequestDeclineInputSerializer, request.data)
        bed_request = bed_requests.bed_request_decline(
            actor=request.user, request=bed_request, reason=values["reason"]
        )
        return self._request(bed_request)

    @extend_schema(request=None, responses=BedRequestSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request, pk=None):
        """She no longer needs the beds (the case's workers, a pending request)."""
        bed_request = self.get_object()
        if not may_cancel(request.user, bed_request):
            access.refuse(request.user, bed_request, reason="not_case_worker")
        bed_request = bed_requests.bed_request_cancel(actor=request.user, request=bed_request)
        return self._request(bed_request)


ROUTES = [
    ("shelters", ShelterViewSet, "shelter"),
    ("rooms", RoomViewSet, "room"),
    ("beds", BedViewSet, "bed"),
    ("stays", StayViewSet, "stay"),
    ("bed-holds", BedHoldViewSet, "bed-hold"),
    ("bed-requests", BedRequestViewSet, "bed-request"),
]
