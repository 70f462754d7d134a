"""The REST API of empowerment programmes: classes, enrolments, attendance and
its exports.

Same habits as counselling.api:
- Lists and retrieves go through counselling.programmes.selectors, which take
  the user; retrieves are audited.
- Before every write the parent (programme, class) is fetched with Need.WRITE:
  another branch's record answers 404, a record she may only read 403.
- Setting a programme up is for branch managers and administrators: the one
  rule the screens use too (counselling.access_rules.may_set_up). Its
  facilitator runs it: classes, enrolments, the register.
- Every write goes through counselling.programmes.services.
- The exports are audited as exports.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.api import _home_branch, _writable
from counselling.models import Client
from counselling.programmes import exports, selectors, services
from counselling.programmes.access_rules import require_set_up
from counselling.programmes.models import Programme, ProgrammeType
from counselling.programmes.serializers import (
    AttendanceInputSerializer,
    AttendanceSerializer,
    AttendanceSheetSerializer,
    ClassSessionInputSerializer,
    ClassSessionSerializer,
    EnrolmentInputSerializer,
    EnrolmentSerializer,
    ProgrammeInputSerializer,
    ProgrammeSerializer,
    ProgrammeUpdateInputSerializer,
)
from ngo.access.api import IgnoreAcceptNegotiation, on_field, readable, validated
from ngo.access.viewsets import SelectedRecordViewSet
from ngo.lib import tabular
from ngo.lib.filters import IdFilter


class ProgrammeChildFilter(filters.FilterSet):
    """?programme=<id>."""

    programme = IdFilter(field_name="programme_id")


class ProgrammeFilter(filters.FilterSet):
    """?kind=, ?facilitator=."""

    kind = filters.ChoiceFilter(choices=ProgrammeType.choices)
    facilitator = IdFilter(field_name="facilitator_id")


EXPORT_RESPONSE = OpenApiResponse(
    OpenApiTypes.BINARY,
    description="The attendance sheet as a file: case codes for clients, names for "
    "community members, one column per class, attended and %.",
)


class ProgrammeViewSet(SelectedRecordViewSet):
    """Empowerment programmes: those of your branches, and those you facilitate.
    Branch managers set them up; the facilitator adds classes, enrols and takes
    the register. The attendance sheet comes as JSON, CSV or XLSX."""

    serializer_class = ProgrammeSerializer
    filterset_class = ProgrammeFilter
    ordering_fields = ["starts_on", "title_en", "title_ko"]

    def selected(self, user):
        return selectors.programme_list_with_counts(user=user)

    @extend_schema(request=ProgrammeInputSerializer, responses={201: ProgrammeSerializer})
    def create(self, request):
        require_set_up(request.user, Programme)
        values = validated(ProgrammeInputSerializer, request.data)
        branch = values.pop("branch", None) or _home_branch(request.user)
        try:
            programme = services.programme_create(actor=request.user, branch=branch, **values)
        except DjangoValidationError as error:
            raise on_field(error, "ends_on") from None
        return Response(
            ProgrammeSerializer(self.reload(programme)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=ProgrammeUpdateInputSerializer, responses=ProgrammeSerializer)
    def partial_update(self, request, pk=None):
        programme = self.get_object()
        values = validated(ProgrammeUpdateInputSerializer, request.data, partial=True)
        try:
            programme = services.programme_update(actor=request.user, programme=programme, **values)
        except DjangoValidationError as error:
            raise on_field(error, "ends_on") from None
        return Response(ProgrammeSerializer(self.reload(programme)).data)

    @extend_schema(responses=AttendanceSheetSerializer)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def attendance(self, request, pk=None):
        """Who came to which class: present, absent, or not recorded (null)."""
        sheet = selectors.attendance_sheet(programme=self.get_object())
        return Response(AttendanceSheetSerializer(_sheet_data(sheet)).data)

    def _exported(self, request, pk, file_format: str):
        programme = selectors.programme_get(user=request.user, pk=pk, audit_read=False)
        return exports.attendance_export(
            actor=request.user, programme=programme, file_format=file_format
        )

    @extend_schema(
        operation_id="v1_programmes_attendance_csv_retrieve",
        responses={(200, "text/csv"): EXPORT_RESPONSE},
    )
    def attendance_csv(self, request, pk=None):
        """The attendance sheet as CSV (UTF-8 with a byte order mark, for Excel). Audited."""
        return self._exported(request, pk, "csv")

    @extend_schema(
        operation_id="v1_programmes_attendance_xlsx_retrieve",
        responses={(200, tabular.XLSX): EXPORT_RESPONSE},
    )
    def attendance_xlsx(self, request, pk=None):
        """The attendance sheet as an Excel workbook. Audited."""
        return self._exported(request, pk, "xlsx")


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


class ClassSessionViewSet(SelectedRecordViewSet):
    """Classes of a programme (?programme=); add one with POST, take its
    register with POST /attendance/ once it has started."""

    serializer_class = ClassSessionSerializer
    filterset_class = ProgrammeChildFilter
    ordering_fields = ["starts_at"]
    http_method_names = ["get", "post", "head", "options"]

    def selected(self, user):
        return selectors.class_session_list(user=user)

    @extend_schema(request=ClassSessionInputSerializer, responses={201: ClassSessionSerializer})
    def create(self, request):
        values = validated(ClassSessionInputSerializer, request.data)
        programme = _writable(request.user, Programme, values.pop("programme"))
        session = services.class_session_add(actor=request.user, programme=programme, **values)
        return Response(ClassSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AttendanceInputSerializer, responses=AttendanceSerializer(many=True))
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def attendance(self, request, pk=None):
        """Take the register: {"present": {"<enrolment id>": true|false}}. Enrolments
        that reach the programme's threshold are completed."""
        session = self.get_object()
        values = validated(AttendanceInputSerializer, request.data)
        rows = services.attendance_record(
            actor=request.user, session=session, present=values["present"]
        )
        return Response(AttendanceSerializer(rows, many=True).data)


class EnrolmentViewSet(SelectedRecordViewSet):
    """Enrolments (?programme=): a client by id (shown by her case code), or a
    community member without a case by name and contact."""

    serializer_class = EnrolmentSerializer
    filterset_class = ProgrammeChildFilter
    ordering_fields = ["enrolled_on"]
    http_method_names = ["get", "post", "head", "options"]

    def selected(self, user):
        return selectors.enrolment_list(user=user)

    @extend_schema(request=EnrolmentInputSerializer, responses={201: EnrolmentSerializer})
    def create(self, request):
        values = validated(EnrolmentInputSerializer, request.data)
        programme = _writable(request.user, Programme, values.pop("programme"))
        client_id = values.pop("client", None)
        client = readable(request.user, Client, client_id) if client_id is not None else None
        enrolment = services.enrol(actor=request.user, programme=programme, client=client, **values)
        return Response(
            EnrolmentSerializer(self.reload(enrolment)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request, pk=None):
        enrolment = services.enrolment_withdraw(actor=request.user, enrolment=self.get_object())
        return Response(EnrolmentSerializer(self.reload(enrolment)).data)


ROUTES = [
    ("programmes", ProgrammeViewSet, "programme"),
    ("class-sessions", ClassSessionViewSet, "class-session"),
    ("enrolments", EnrolmentViewSet, "enrolment"),
]
# Before the router, whose format-suffix routes would take "attendance.csv".
API_PATHS = [
    path(
        f"programmes/<int:pk>/attendance.{file_format}",
        ProgrammeViewSet.as_view({"get": f"attendance_{file_format}"}, **EXPORT_VIEW_OPTIONS),
        name=f"programme-attendance-{file_format}",
    )
    for file_format in ("csv", "xlsx")
]
