"""The REST API of shelters (rooms, beds, stays, bed holds, the board) and
empowerment programmes (classes, enrolments, attendance and its exports).

Same habits as counselling.api:
- Lists are scoped to the user (ScopedViewSetMixin or a selector that takes her);
  retrieves go through access.get_for_user and are audited.
- Before every write the parent (shelter, room, bed, stay, programme, class) is
  fetched with Need.WRITE: another branch's record answers 404, a record she
  may only read 403. Records only referred to (her case, her client record)
  are fetched for reading: a shelter worker admits women whose case she reads.
- Every write goes through counselling.shelter_services.
- The exports are audited as exports.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling import shelter_selectors, shelter_services
from counselling.api import RecordViewSet, _home_branch, _valid, _writable
from counselling.models import (
    Bed,
    BedHold,
    Case,
    Child,
    ClassSession,
    Client,
    Enrolment,
    EnrolmentStatus,
    Programme,
    ProgrammeType,
    Room,
    Shelter,
    Stay,
)
from counselling.shelter_serializers import (
    AttendanceInputSerializer,
    AttendanceSerializer,
    AttendanceSheetSerializer,
    BedHoldInputSerializer,
    BedHoldSerializer,
    BedInputSerializer,
    BedSerializer,
    BedUpdateInputSerializer,
    ClassSessionInputSerializer,
    ClassSessionSerializer,
    EnrolmentInputSerializer,
    EnrolmentSerializer,
    ProgrammeInputSerializer,
    ProgrammeSerializer,
    ProgrammeUpdateInputSerializer,
    RoomInputSerializer,
    RoomSerializer,
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
from ngo.access.api import IgnoreAcceptNegotiation
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, object_type_of

# --- Helpers -----------------------------------------------------------------------------


def _readable(user, model, pk):
    """A record the write refers to without changing it (her case, her client
    record): 404 outside the user's scope. Not audited as a read: the write that
    uses it is audited."""
    return access.get_for_user(user, model, pk, Need.READ, audit_read=False)


def _on_field(error: DjangoValidationError, field: str) -> DjangoValidationError:
    """An error about the record as a whole (a model constraint's "__all__", or
    a plain message such as "this case is closed") named after the field the
    input sent that it is about, so that the 400 says which value to change."""
    if not hasattr(error, "error_dict"):
        return DjangoValidationError({field: error.messages})
    if NON_FIELD_ERRORS not in error.error_dict:
        return error
    errors = dict(error.error_dict)
    errors[field] = errors.pop(NON_FIELD_ERRORS) + errors.get(field, [])
    return DjangoValidationError(errors)


def _in_branch(user, branch) -> None:
    if not (user.can(Capability.ALL_BRANCHES) or branch.pk in user.branch_ids()):
        raise DjangoValidationError({"branch": _("You do not work at this branch.")})


def _denied(user, model, reason: str):
    audit_record(
        action=AuditAction.PERMISSION_DENIED,
        actor=user,
        object_type=object_type_of(model),
        reason=reason,
    )
    return DjangoPermissionDenied()


class ShelterChildFilter(filters.FilterSet):
    """?shelter=<id>."""

    shelter = filters.NumberFilter(field_name="shelter_id")


class ProgrammeChildFilter(filters.FilterSet):
    """?programme=<id>."""

    programme = filters.NumberFilter(field_name="programme_id")


# --- Shelters, rooms, beds -----------------------------------------------------------------


class ShelterViewSet(RecordViewSet):
    """The shelters of your branches: list, detail (address, rooms and beds),
    create and change, and the board."""

    serializer_class = ShelterSummarySerializer
    filterset_class = None
    ordering_fields = ["name"]

    def base_queryset(self):
        return Shelter.objects.select_related("branch").prefetch_related("rooms__beds")

    def get_queryset(self):
        return shelter_selectors.shelter_list(user=self.request.user)

    def _detail(self, shelter, status_code=status.HTTP_200_OK):
        return Response(
            ShelterSerializer(self.base_queryset().get(pk=shelter.pk)).data, status=status_code
        )

    @extend_schema(responses=ShelterSerializer)
    def retrieve(self, request, pk=None):
        return Response(ShelterSerializer(self.get_object()).data)

    @extend_schema(request=ShelterInputSerializer, responses={201: ShelterSerializer})
    def create(self, request):
        access.require_create(request.user, Shelter)
        values = _valid(ShelterInputSerializer, request.data)
        branch = values.pop("branch", None) or _home_branch(request.user)
        _in_branch(request.user, branch)
        try:
            shelter = shelter_services.shelter_create(actor=request.user, branch=branch, **values)
        except DjangoValidationError as error:
            raise _on_field(error, "name") from None
        return self._detail(shelter, status.HTTP_201_CREATED)

    @extend_schema(request=ShelterUpdateInputSerializer, responses=ShelterSerializer)
    def partial_update(self, request, pk=None):
        shelter = self.get_object()
        values = _valid(ShelterUpdateInputSerializer, request.data, partial=True)
        try:
            shelter = shelter_services.shelter_update(actor=request.user, shelter=shelter, **values)
        except DjangoValidationError as error:
            raise _on_field(error, "name") from None
        return self._detail(shelter)

    @extend_schema(responses=ShelterBoardSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def board(self, request, pk=None):
        """Every bed today (free, held, occupied by a case code, out of service),
        the counts, arrivals and leaves due this week, and monthly occupancy."""
        shelter = self.get_object()  # audited read
        today = timezone.localdate()
        board = shelter_selectors.shelter_board(user=request.user, shelter=shelter, today=today)
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


class RoomViewSet(RecordViewSet):
    """Rooms of a shelter (?shelter=), with their beds; add one with POST."""

    serializer_class = RoomSerializer
    filterset_class = ShelterChildFilter
    ordering_fields = ["name"]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return Room.objects.prefetch_related("beds")

    @extend_schema(request=RoomInputSerializer, responses={201: RoomSerializer})
    def create(self, request):
        values = _valid(RoomInputSerializer, request.data)
        shelter = _writable(request.user, Shelter, values.pop("shelter"))
        try:
            room = shelter_services.room_create(actor=request.user, shelter=shelter, **values)
        except DjangoValidationError as error:
            raise _on_field(error, "name") from None
        return Response(RoomSerializer(self.reload(room)).data, status=status.HTTP_201_CREATED)


class BedFilter(filters.FilterSet):
    """?shelter=, ?room=."""

    shelter = filters.NumberFilter(field_name="room__shelter_id")
    room = filters.NumberFilter(field_name="room_id")


class BedViewSet(RecordViewSet):
    """Beds (?shelter=, ?room=): add one to a room; PATCH out_of_service to take
    it out of service (not while someone sleeps in it) or back."""

    serializer_class = BedSerializer
    filterset_class = BedFilter
    ordering_fields = ["label"]

    def base_queryset(self):
        return Bed.objects.select_related("room")

    @extend_schema(request=BedInputSerializer, responses={201: BedSerializer})
    def create(self, request):
        values = _valid(BedInputSerializer, request.data)
        room = _writable(request.user, Room, values.pop("room"))
        try:
            bed = shelter_services.bed_create(actor=request.user, room=room, **values)
        except DjangoValidationError as error:
            raise _on_field(error, "label") from None
        return Response(BedSerializer(self.reload(bed)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BedUpdateInputSerializer, responses=BedSerializer)
    def partial_update(self, request, pk=None):
        bed = self.get_object()
        values = _valid(BedUpdateInputSerializer, request.data)
        bed = shelter_services.bed_set_out_of_service(actor=request.user, bed=bed, **values)
        return Response(BedSerializer(self.reload(bed)).data)


# --- Stays and holds --------------------------------------------------------------------------


class StayFilter(filters.FilterSet):
    """?shelter=, ?case=, ?open=true|false, ?admitted_from=, ?admitted_until=."""

    shelter = filters.NumberFilter(field_name="shelter_id")
    case = filters.NumberFilter(field_name="case_id")
    open = filters.BooleanFilter(field_name="discharged_on", lookup_expr="isnull")
    admitted_from = filters.DateFilter(field_name="admitted_on", lookup_expr="gte")
    admitted_until = filters.DateFilter(field_name="admitted_on", lookup_expr="lte")


class StayViewSet(RecordViewSet):
    """Stays, admission to discharge. Shelter staff see those of their shelters,
    counsellors those of the cases they see. The woman is named by her case code."""

    serializer_class = StaySerializer
    filterset_class = StayFilter
    ordering_fields = ["admitted_on", "expected_leave_on", "discharged_on"]

    def base_queryset(self):
        return Stay.objects.select_related(
            "client", "bed__room", "created_by", "shelter"
        ).prefetch_related("children")

    def _stay(self, stay, status_code=status.HTTP_200_OK):
        return Response(StayDetailSerializer(self.reload(stay)).data, status=status_code)

    @extend_schema(responses=StayDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(StayDetailSerializer(self.get_object()).data)

    @extend_schema(request=StayAdmitInputSerializer, responses={201: StayDetailSerializer})
    def create(self, request):
        """Admit her (and the children with her) to a free bed."""
        values = _valid(StayAdmitInputSerializer, request.data)
        bed = _writable(request.user, Bed, values.pop("bed"))
        case = _readable(request.user, Case, values.pop("case"))
        child_ids = set(values.pop("children"))
        children = list(Child.objects.filter(client_id=case.client_id, pk__in=child_ids))
        if len(children) != len(child_ids):
            raise DjangoValidationError({"children": _("Those are not her children.")})
        try:
            stay = shelter_services.stay_admit(
                actor=request.user, case=case, bed=bed, children=children, **values
            )
        except DjangoValidationError as error:
            raise _on_field(error, "case") from None
        return self._stay(stay, status.HTTP_201_CREATED)

    @extend_schema(request=StayUpdateInputSerializer, responses=StayDetailSerializer)
    def partial_update(self, request, pk=None):
        """Change the expected leave date."""
        stay = self.get_object()
        values = _valid(StayUpdateInputSerializer, request.data)
        try:
            stay = shelter_services.stay_update(actor=request.user, stay=stay, **values)
        except DjangoValidationError as error:
            raise _on_field(error, "expected_leave_on") from None
        return self._stay(stay)

    @extend_schema(request=StayMoveInputSerializer, responses=StayDetailSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request, pk=None):
        """Move her to another free bed of the same shelter."""
        stay = self.get_object()
        values = _valid(StayMoveInputSerializer, request.data)
        bed = _writable(request.user, Bed, values.pop("bed"))
        stay = shelter_services.stay_move(actor=request.user, stay=stay, bed=bed, **values)
        return self._stay(stay)

    @extend_schema(request=StayDischargeInputSerializer, responses=StayDetailSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def discharge(self, request, pk=None):
        """End the stay: when, and where she went."""
        stay = self.get_object()
        values = _valid(StayDischargeInputSerializer, request.data)
        try:
            stay = shelter_services.stay_discharge(actor=request.user, stay=stay, **values)
        except DjangoValidationError as error:
            raise _on_field(error, "discharged_on") from None
        return self._stay(stay)


class BedHoldFilter(filters.FilterSet):
    """?shelter=, ?bed=, ?active=true|false."""

    shelter = filters.NumberFilter(field_name="bed__room__shelter_id")
    bed = filters.NumberFilter(field_name="bed_id")
    active = filters.BooleanFilter(method="filter_active")

    def filter_active(self, queryset, name, value):
        active = Q(released_at__isnull=True, expires_at__gt=timezone.now())
        return queryset.filter(active) if value else queryset.exclude(active)


class BedHoldViewSet(RecordViewSet):
    """Beds kept free for a woman on her way; a hold lapses by itself after the
    shelter's hold time (or `hours`), or is released."""

    serializer_class = BedHoldSerializer
    filterset_class = BedHoldFilter
    ordering_fields = ["created_at", "expires_at"]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return BedHold.objects.select_related("bed__room", "case__client", "held_by")

    @extend_schema(request=BedHoldInputSerializer, responses={201: BedHoldSerializer})
    def create(self, request):
        values = _valid(BedHoldInputSerializer, request.data)
        bed = _writable(request.user, Bed, values.pop("bed"))
        case_id = values.pop("case", None)
        case = _readable(request.user, Case, case_id) if case_id is not None else None
        hold = shelter_services.bed_hold(actor=request.user, bed=bed, case=case, **values)
        return Response(BedHoldSerializer(self.reload(hold)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BedHoldSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def release(self, request, pk=None):
        """Free the bed now (a released or lapsed hold stays as it is)."""
        hold = shelter_services.bed_hold_release(actor=request.user, hold=self.get_object())
        return Response(BedHoldSerializer(self.reload(hold)).data)


# --- Programmes --------------------------------------------------------------------------


def _with_counts(programmes):
    # Ordered explicitly: the model's ordering is not applied to a GROUP BY query.
    return programmes.order_by(*Programme._meta.ordering, "id").annotate(
        class_count=Count("sessions", distinct=True),
        enrolled_count=Count(
            "enrolments",
            filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN),
            distinct=True,
        ),
    )


class ProgrammeFilter(filters.FilterSet):
    """?kind=, ?facilitator=."""

    kind = filters.ChoiceFilter(choices=ProgrammeType.choices)
    facilitator = filters.NumberFilter(field_name="facilitator_id")


def _may_create_programmes(user) -> bool:
    """Branch managers and administrators set programmes up; facilitators run them."""
    return user.can(Capability.MANAGE_BRANCH) or user.can(Capability.MANAGE_STAFF)


EXPORT_RESPONSE = OpenApiResponse(
    OpenApiTypes.BINARY,
    description="The attendance sheet as a file: case codes for clients, names for "
    "community members, one column per class, attended and %.",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProgrammeViewSet(RecordViewSet):
    """Empowerment programmes: those of your branches, and those you facilitate.
    Branch managers set them up; the facilitator adds classes, enrols and takes
    the register. The attendance sheet comes as JSON, CSV or XLSX."""

    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    ordering_fields = ["starts_on", "title_en", "title_ko"]

    def base_queryset(self):
        return _with_counts(Programme.objects.select_related("branch", "facilitator"))

    def get_queryset(self):
        return _with_counts(shelter_selectors.programme_list(user=self.request.user))

    @extend_schema(request=ProgrammeInputSerializer, responses={201: ProgrammeSerializer})
    def create(self, request):
        if not _may_create_programmes(request.user):
            raise _denied(request.user, Programme, "create")
        values = _valid(ProgrammeInputSerializer, request.data)
        branch = values.pop("branch", None) or _home_branch(request.user)
        _in_branch(request.user, branch)
        try:
            programme = shelter_services.programme_create(
                actor=request.user, branch=branch, **values
            )
        except DjangoValidationError as error:
            raise _on_field(error, "ends_on") from None
        return Response(
            ProgrammeSerializer(self.reload(programme)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ProgrammeUpdateInputSerializer, responses=ProgrammeSerializer)
    def partial_update(self, request, pk=None):
        programme = self.get_object()
        values = _valid(ProgrammeUpdateInputSerializer, request.data, partial=True)
        try:
            programme = shelter_services.programme_update(
                actor=request.user, programme=programme, **values
            )
        except DjangoValidationError as error:
            raise _on_field(error, "ends_on") from None
        return Response(ProgrammeSerializer(self.reload(programme)).data)

    @extend_schema(responses=AttendanceSheetSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def attendance(self, request, pk=None):
        """Who came to which class: present, absent, or not recorded (null)."""
        sheet = shelter_selectors.attendance_sheet(programme=self.get_object())
        return Response(AttendanceSheetSerializer(_sheet_data(sheet)).data)

    def _exported(self, request, pk, file_format: str):
        programme = access.get_for_user(
            request.user, self.base_queryset(), pk, Need.READ, audit_read=False
        )
        with transaction.atomic():
            audit_record(
                action=AuditAction.EXPORT,
                actor=request.user,
                obj=programme,
                fields=["attendance"],
                reason=file_format,
            )
        return programme, _sheet_table(shelter_selectors.attendance_sheet(programme=programme))

    @extend_schema(
        operation_id="v1_programmes_attendance_csv_retrieve",
        responses={(200, "text/csv"): EXPORT_RESPONSE},
    )
    def attendance_csv(self, request, pk=None):
        """The attendance sheet as CSV (UTF-8 with a byte order mark, for Excel). Audited."""
        programme, table = self._exported(request, pk, "csv")
        buffer = io.StringIO()
        buffer.write("\ufeff")
        csv.writer(buffer).writerows(table)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        return _attachment(response, programme, "csv")

    @extend_schema(
        operation_id="v1_programmes_attendance_xlsx_retrieve",
        responses={(200, XLSX): EXPORT_RESPONSE},
    )
    def attendance_xlsx(self, request, pk=None):
        """The attendance sheet as an Excel workbook. Audited."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        programme, table = self._exported(request, pk, "xlsx")
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Attendance")[:31]
        for row in table:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
        sheet.column_dimensions["A"].width = 24
        content = io.BytesIO()
        workbook.save(content)
        return _attachment(HttpResponse(content.getvalue(), content_type=XLSX), programme, "xlsx")


# Mapped by ngo/urls.py to programmes/{id}/attendance.csv and .xlsx (a router
# action would need a trailing slash after the extension).
EXPORT_VIEW_OPTIONS = {
    "filter_backends": [],
    "pagination_class": None,
    "content_negotiation_class": IgnoreAcceptNegotiation,
}


def _sheet_data(sheet) -> dict:
    programme = sheet["programme"]
    return {
        "programme": programme.pk,
        "completion_threshold": programme.completion_threshold,
        "sessions": sheet["sessions"],
        "rows": [
            {
                "enrolment": row["enrolment"].pk,
                "client": row["enrolment"].client_id,
                "who": row["who"],
                "status": row["enrolment"].status,
                "marks": row["marks"],
                "attended": row["attended"],
                "rate": row["rate"],
            }
            for row in sheet["rows"]
        ],
    }


def _safe_cell(value):
    """Text a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _sheet_table(sheet) -> list[list]:
    marks = {True: _("present"), False: _("absent"), None: ""}
    header = [_("Participant")]
    for session in sheet["sessions"]:
        header.append(timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M"))
    header += [_("Attended"), "%"]
    table = [header]
    for row in sheet["rows"]:
        table.append(
            [
                _safe_cell(row["who"] or ""),
                *(marks[mark] for mark in row["marks"]),
                row["attended"],
                row["rate"],
            ]
        )
    return table


def _attachment(response: HttpResponse, programme: Programme, extension: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="attendance-{programme.pk}-{stamp}.{extension}"'
    )
    response["Cache-Control"] = "no-store"
    return response


class ClassSessionViewSet(RecordViewSet):
    """Classes of a programme (?programme=); add one with POST, take its
    register with POST /attendance/ once it has started."""

    serializer_class = ClassSessionSerializer
    filterset_class = ProgrammeChildFilter
    ordering_fields = ["starts_at"]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return ClassSession.objects.all()

    @extend_schema(request=ClassSessionInputSerializer, responses={201: ClassSessionSerializer})
    def create(self, request):
        values = _valid(ClassSessionInputSerializer, request.data)
        programme = _writable(request.user, Programme, values.pop("programme"))
        session = shelter_services.class_session_add(
            actor=request.user, programme=programme, **values
        )
        return Response(ClassSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceInputSerializer, responses=AttendanceSerializer(many=True))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def attendance(self, request, pk=None):
        """Take the register: {"present": {"<enrolment id>": true|false}}. Enrolments
        that reach the programme's threshold are completed."""
        session = self.get_object()
        values = _valid(AttendanceInputSerializer, request.data)
        rows = shelter_services.attendance_record(
            actor=request.user, session=session, present=values["present"]
        )
        return Response(AttendanceSerializer(rows, many=True).data)


class EnrolmentViewSet(RecordViewSet):
    """Enrolments (?programme=): a client by id (shown by her case code), or a
    community member without a case by name and contact."""

    serializer_class = EnrolmentSerializer
    filterset_class = ProgrammeChildFilter
    ordering_fields = ["enrolled_on"]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return Enrolment.objects.select_related("client")

    @extend_schema(request=EnrolmentInputSerializer, responses={201: EnrolmentSerializer})
    def create(self, request):
        values = _valid(EnrolmentInputSerializer, request.data)
        programme = _writable(request.user, Programme, values.pop("programme"))
        client_id = values.pop("client", None)
        client = _readable(request.user, Client, client_id) if client_id is not None else None
        enrolment = shelter_services.enrol(
            actor=request.user, programme=programme, client=client, **values
        )
        return Response(
            EnrolmentSerializer(self.reload(enrolment)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request, pk=None):
        enrolment = shelter_services.enrolment_withdraw(
            actor=request.user, enrolment=self.get_object()
        )
        return Response(EnrolmentSerializer(self.reload(enrolment)).data)
