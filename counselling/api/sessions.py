"""Counselling sessions and a case's key dates."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from counselling import selectors, services
from counselling.api._common import RecordViewSet, _writable
from counselling.filters import (
    CaseChildFilter,
)
from counselling.models import (
    Case,
)
from counselling.serializers import (
    CaseEventInputSerializer,
    CaseEventSerializer,
    CaseEventUpdateInputSerializer,
    SessionInputSerializer,
    SessionSerializer,
    SessionUpdateInputSerializer,
)
from ngo.access.api import validated


class SessionViewSet(RecordViewSet):
    """Counselling sessions, calls, visits and accompaniments (?case=)."""

    serializer_class = SessionSerializer
    filterset_class = CaseChildFilter
    ordering_fields = ["started_at"]

    def base_queryset(self):
        return selectors.session_queryset()

    @extend_schema(request=SessionInputSerializer, responses={201: SessionSerializer})
    def create(self, request):
        values = validated(SessionInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        session = services.session_record(actor=request.user, case=case, **values)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SessionUpdateInputSerializer, responses=SessionSerializer)
    def partial_update(self, request, pk=None):
        session = self.get_object()
        values = validated(SessionUpdateInputSerializer, request.data, partial=True)
        session = services.session_update(actor=request.user, session=session, **values)
        return Response(SessionSerializer(session).data)


class CaseEventViewSet(RecordViewSet):
    """Key dates of a case: hearings, interviews, appointments, deadlines (?case=)."""

    serializer_class = CaseEventSerializer
    filterset_class = CaseChildFilter
    ordering_fields = ["starts_at"]

    def base_queryset(self):
        return selectors.case_event_queryset()

    @extend_schema(request=CaseEventInputSerializer, responses={201: CaseEventSerializer})
    def create(self, request):
        values = validated(CaseEventInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        event = services.case_event_add(actor=request.user, case=case, **values)
        return Response(CaseEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseEventUpdateInputSerializer, responses=CaseEventSerializer)
    def partial_update(self, request, pk=None):
        event = self.get_object()
        values = validated(CaseEventUpdateInputSerializer, request.data, partial=True)
        event = services.case_event_update(actor=request.user, event=event, **values)
        return Response(CaseEventSerializer(event).data)
