"""The REST API of hotline calls: `/api/v1/hotline-calls/`.

- Lists and retrieves go through counselling.hotline.selectors (her scope;
  retrieves audited); ETag is the version, a PATCH honours If-Match.
- Advice that looks like a phone number answers 400 (field `advice`) unless
  the body sends `"confirm_no_identifier": true`.
- Linking names a case she may change (404 outside her scope, 403 read-only).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from counselling.api import _home_branch, _writable
from counselling.hotline import selectors, services
from counselling.hotline.filters import CallFilter
from counselling.hotline.models import HotlineCall
from counselling.hotline.serializers import (
    HotlineCallInputSerializer,
    HotlineCallLinkInputSerializer,
    HotlineCallSerializer,
    HotlineCallUpdateInputSerializer,
)
from counselling.models import Case
from ngo import access
from ngo.access.api import validated
from ngo.access.viewsets import SelectedRecordViewSet
from ngo.accounts.models import Branch


class HotlineCallViewSet(SelectedRecordViewSet):
    """Hotline calls of your branches (and those linked to cases you see);
    filters: ?date_from=, ?date_until=, ?topic=, ?language=, ?risk=,
    ?wants_to_come_in=, ?linked=."""

    serializer_class = HotlineCallSerializer
    filterset_class = CallFilter
    ordering_fields = ["started_at", "duration_minutes"]

    def selected(self, user):
        return selectors.call_list(user=user)

    def _answer(self, call, status_code=status.HTTP_200_OK):
        return Response(HotlineCallSerializer(self.reload(call)).data, status=status_code)

    @extend_schema(request=HotlineCallInputSerializer, responses={201: HotlineCallSerializer})
    def create(self, request):
        access.require_create(request.user, HotlineCall)
        values = validated(HotlineCallInputSerializer, request.data)
        branch_id = values.pop("branch", None)
        if branch_id is None:
            branch = _home_branch(request.user)
        else:
            branch = Branch.objects.filter(pk=branch_id).first()
            if branch is None:
                raise services.unknown_branch()
        call = services.call_record(actor=request.user, branch=branch, **values)
        return self._answer(call, status.HTTP_201_CREATED)

    @extend_schema(request=HotlineCallUpdateInputSerializer, responses=HotlineCallSerializer)
    def partial_update(self, request, pk=None):
        call = self.get_object()
        values = validated(HotlineCallUpdateInputSerializer, request.data, partial=True)
        values.setdefault("confirm_no_identifier", False)
        call = services.call_update(actor=request.user, call=call, **values)
        return self._answer(call)

    @extend_schema(request=HotlineCallLinkInputSerializer, responses=HotlineCallSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def link(self, request, pk=None):
        """Link the call to her case (one you may change)."""
        call = self.get_object()
        values = validated(HotlineCallLinkInputSerializer, request.data)
        case = _writable(request.user, Case, values["case"])
        call = services.call_link(actor=request.user, call=call, case=case)
        return self._answer(call)

    @extend_schema(request=None, responses=HotlineCallSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def unlink(self, request, pk=None):
        call = services.call_unlink(actor=request.user, call=self.get_object())
        return self._answer(call)


ROUTES = [("hotline-calls", HotlineCallViewSet, "hotline-call")]
