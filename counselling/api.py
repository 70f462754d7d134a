"""The counselling REST API: thin viewsets that validate, fetch through the
access module, call a service or a selector, and render.

- Lists are scoped to the user (ScopedViewSetMixin or a selector that takes her).
- Retrieves go through access.get_for_user, which audits the read (404 outside
  her scope, 403 on a write she may only read).
- A create on a record that hangs off a case or a client fetches that parent
  with Need.WRITE first, so another branch's case answers 404 and a read-only
  role 403, before the service is called.
- Every write goes through counselling.services.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django_filters import NumberFilter
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from counselling import selectors, services
from counselling.filters import (
    CaseChildFilter,
    CaseFilter,
    ClientChildFilter,
    ClientFilter,
    ReferralFilter,
)
from counselling.models import (
    Case,
    Client,
    CounsellingSession,
)
from counselling.serializers import (
    CaseActivitySerializer,
    CaseAssignInputSerializer,
    CaseEventInputSerializer,
    CaseEventSerializer,
    CaseEventUpdateInputSerializer,
    CaseOpenInputSerializer,
    CaseSerializer,
    CaseStatusInputSerializer,
    CaseSummarySerializer,
    CaseUpdateInputSerializer,
    ChildInputSerializer,
    ChildSerializer,
    ClientInputSerializer,
    ClientIntakeInputSerializer,
    ClientSerializer,
    ClientSummarySerializer,
    ConsentInputSerializer,
    ConsentSerializer,
    DocumentInputSerializer,
    DocumentSerializer,
    DuplicateCheckInputSerializer,
    DuplicateCheckResultSerializer,
    DuplicateMatchSerializer,
    PossibleDuplicatesErrorSerializer,
    ReferralInputSerializer,
    ReferralSerializer,
    ReferralStatusInputSerializer,
    RiskAssessmentInputSerializer,
    RiskAssessmentSerializer,
    SafetyPlanInputSerializer,
    SafetyPlanItemDoneInputSerializer,
    SafetyPlanItemInputSerializer,
    SafetyPlanReviewInputSerializer,
    SafetyPlanSerializer,
    SessionInputSerializer,
    SessionSerializer,
    SessionUpdateInputSerializer,
)
from ngo import access
from ngo.access import Need
from ngo.access.api import IgnoreAcceptNegotiation, validated
from ngo.access.viewsets import ScopedReadOnlyViewSet
from ngo.lib import request_context

# --- Helpers -----------------------------------------------------------------------------


def _writable(user, model, pk):
    """The parent record (case, client, session) for a write: 404 outside the
    user's scope, 403 if she may only read it; both audited."""
    return access.get_for_user(user, model, pk, Need.WRITE)


def _prefixed(error: DjangoValidationError, prefix: str, names) -> DjangoValidationError:
    """Name a nested object's field errors as the input named them ("case.case_types")."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {
            (f"{prefix}.{name}" if name in names else name): messages
            for name, messages in error.error_dict.items()
        }
    )


class SelectorFilterBackend(DjangoFilterBackend):
    """For lists whose selector has applied the FilterSet already: describes the
    filters in the schema, filters nothing twice."""

    def filter_queryset(self, request, queryset, view):
        return queryset


def _selected(queryset_and_filterset):
    queryset, filterset = queryset_and_filterset
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return queryset


NO_CONTENT = {204: OpenApiResponse(description="Removed.")}


class RecordViewSet(ScopedReadOnlyViewSet):
    """List (scoped, filtered) and retrieve (audited) of one kind of case record;
    subclasses add the writes their services allow."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def reload(self, obj):
        """The record again, as lists and retrieves show it (joins, annotations)."""
        return self.base_queryset().get(pk=obj.pk)


# --- Clients and children ----------------------------------------------------------------------


def _client_detail(user, client: Client) -> dict:
    client.visible_cases = selectors.cases_of_client(user=user, client=client)
    return ClientSerializer(client).data


def _possible_duplicates(exc: services.PossibleDuplicates) -> Response:
    context = request_context.current()
    body = {
        "error": {
            "status": status.HTTP_409_CONFLICT,
            "code": "possible_duplicates",
            "message": str(exc),
            "fields": {},
            "matches": DuplicateMatchSerializer(exc.matches, many=True).data,
        },
        "request_id": context.request_id if context else "",
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


class ClientViewSet(RecordViewSet):
    """The women the NGO works with. Creating one is the intake: her details,
    her first case and her children in one go. An intake that looks like a
    client already known (same name and birth date, or the same phone) answers
    409 with the matching clients' ids and case codes; send it again with
    confirm_not_duplicate=true if she is someone else."""

    serializer_class = ClientSummarySerializer
    filterset_class = ClientFilter
    filter_backends = [SelectorFilterBackend, OrderingFilter]
    ordering_fields = ["created_at", "name_romanised", "case_code"]

    def base_queryset(self):
        return selectors.client_queryset()

    def get_queryset(self):
        return _selected(
            selectors.client_list(user=self.request.user, filters=self.request.query_params)
        )

    @extend_schema(responses=ClientSerializer)
    def retrieve(self, request, pk=None):
        return Response(_client_detail(request.user, self.get_object()))

    @extend_schema(
        request=ClientIntakeInputSerializer,
        responses={201: ClientSerializer, 409: PossibleDuplicatesErrorSerializer},
    )
    def create(self, request):
        access.require_create(request.user, Client)
        values = validated(ClientIntakeInputSerializer, request.data)
        branch = values.pop("branch", None) or _home_branch(request.user)
        case = values.pop("case")
        children = values.pop("children", [])
        assigned = values.pop("assigned", [])
        confirmed = values.pop("confirm_not_duplicate")
        try:
            client, _case = services.client_intake(
                actor=request.user,
                branch=branch,
                client=values,
                case=case,
                children=children,
                assigned=assigned,
                confirm_not_duplicate=confirmed,
            )
        except services.PossibleDuplicates as duplicates:
            return _possible_duplicates(duplicates)
        except DjangoValidationError as error:
            raise _prefixed(error, "case", services.CASE_FIELDS) from None
        client = self.reload(client)
        return Response(_client_detail(request.user, client), status=status.HTTP_201_CREATED)

    @extend_schema(request=ClientInputSerializer, responses=ClientSerializer)
    def partial_update(self, request, pk=None):
        client = self.get_object()
        values = validated(ClientInputSerializer, request.data, partial=True)
        client = services.client_update(actor=request.user, client=client, **values)
        return Response(_client_detail(request.user, self.reload(client)))

    @extend_schema(request=ChildInputSerializer, responses={201: ChildSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def children(self, request, pk=None):
        """Add a child to her record."""
        client = self.get_object()
        values = validated(ChildInputSerializer, request.data)
        child = services.child_add(actor=request.user, client=client, **values)
        return Response(ChildSerializer(child).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DuplicateCheckInputSerializer, responses=DuplicateCheckResultSerializer)
    @action(
        detail=False,
        methods=["post"],
        url_path="check-duplicates",
        filter_backends=[],
        pagination_class=None,
    )
    def check_duplicates(self, request):
        """The clients you can see who may be the woman being registered (for the
        intake form, before it is sent). Others are never mentioned."""
        values = validated(DuplicateCheckInputSerializer, request.data)
        matches = selectors.client_possible_duplicates(user=request.user, **values)
        return Response(DuplicateCheckResultSerializer({"matches": matches}).data)


def _home_branch(user):
    branches = list(user.branches.all()[:2])
    if len(branches) != 1:
        raise DjangoValidationError({"branch": _("Say at which branch she is registered.")})
    return branches[0]


class ChildViewSet(RecordViewSet):
    """A client's children (added with POST /clients/{id}/children/)."""

    serializer_class = ChildSerializer
    filterset_class = ClientChildFilter
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return selectors.child_queryset()

    @extend_schema(request=ChildInputSerializer, responses=ChildSerializer)
    def partial_update(self, request, pk=None):
        child = self.get_object()
        values = validated(ChildInputSerializer, request.data, partial=True)
        child = services.child_update(actor=request.user, child=child, **values)
        return Response(ChildSerializer(child).data)

    @extend_schema(responses=NO_CONTENT)
    def destroy(self, request, pk=None):
        services.child_remove(actor=request.user, child=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Cases ----------------------------------------------------------------------------------------


class CaseViewSet(RecordViewSet):
    """Cases: the caseload (with the same filters as the screens), opening a
    further case for a registered client, changes, status, assignment and the
    timeline."""

    serializer_class = CaseSummarySerializer
    filterset_class = CaseFilter
    filter_backends = [SelectorFilterBackend, OrderingFilter]
    ordering_fields = ["opened_on", "updated_at", "risk_level", "status"]

    def base_queryset(self):
        return selectors.case_queryset()

    def get_queryset(self):
        return _selected(
            selectors.case_list(user=self.request.user, filters=self.request.query_params)
        )

    @extend_schema(responses=CaseSerializer)
    def retrieve(self, request, pk=None):
        return Response(CaseSerializer(self.get_object()).data)

    @extend_schema(request=CaseOpenInputSerializer, responses={201: CaseSerializer})
    def create(self, request):
        values = validated(CaseOpenInputSerializer, request.data)
        client = _writable(request.user, Client, values.pop("client"))
        case = services.case_open(actor=request.user, client=client, **values)
        return Response(CaseSerializer(self.reload(case)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CaseUpdateInputSerializer, responses=CaseSerializer)
    def partial_update(self, request, pk=None):
        case = self.get_object()
        values = validated(CaseUpdateInputSerializer, request.data, partial=True)
        case = services.case_update(actor=request.user, case=case, **values)
        return Response(CaseSerializer(self.reload(case)).data)

    @extend_schema(request=CaseStatusInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[])
    def change_status(self, request, pk=None):
        """intake -> active -> closed, and reopen (closed -> active)."""
        case = self.get_object()
        values = validated(CaseStatusInputSerializer, request.data)
        case = services.case_change_status(actor=request.user, case=case, **values)
        return Response(CaseSerializer(self.reload(case)).data)

    @extend_schema(request=CaseAssignInputSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def assign(self, request, pk=None):
        """Replace the staff assigned to the case."""
        case = self.get_object()
        values = validated(CaseAssignInputSerializer, request.data)
        case = services.case_assign(actor=request.user, case=case, users=values["assigned"])
        return Response(CaseSerializer(self.reload(case)).data)

    @extend_schema(responses=CaseActivitySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def timeline(self, request, pk=None):
        """Everything that happened on the case (and to its client), newest first."""
        case = self.get_object()
        page = self.paginate_queryset(selectors.case_timeline(user=request.user, case=case))
        return self.get_paginated_response(CaseActivitySerializer(page, many=True).data)


# --- Sessions and key dates ---------------------------------------------------------------------


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


# --- Risk and safety ------------------------------------------------------------------------------


class RiskAssessmentViewSet(RecordViewSet):
    """Risk assessments (?case=). High or severe risk sets a follow-up within
    48 hours and opens a safety plan if the case has none; the answer says
    whether a safety plan is active."""

    serializer_class = RiskAssessmentSerializer
    filterset_class = CaseChildFilter
    ordering_fields = ["assessed_at"]

    def base_queryset(self):
        return selectors.risk_assessment_queryset()

    @extend_schema(request=RiskAssessmentInputSerializer, responses={201: RiskAssessmentSerializer})
    def create(self, request):
        values = validated(RiskAssessmentInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        assessment = services.risk_assess(actor=request.user, case=case, **values)
        return Response(
            RiskAssessmentSerializer(self.reload(assessment)).data, status=status.HTTP_201_CREATED
        )


class SafetyPlanViewSet(RecordViewSet):
    """Safety plans (?case=): one active plan per case; a new plan replaces it.
    Items are added and ticked off, and the plan is reviewed."""

    serializer_class = SafetyPlanSerializer
    filterset_class = CaseChildFilter
    ordering_fields = ["created_at"]

    def base_queryset(self):
        return selectors.safety_plan_queryset()

    def _plan(self, plan):
        return Response(SafetyPlanSerializer(self.reload(plan)).data)

    @extend_schema(request=SafetyPlanInputSerializer, responses={201: SafetyPlanSerializer})
    def create(self, request):
        values = validated(SafetyPlanInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        plan = services.safety_plan_create(actor=request.user, case=case, **values)
        return Response(
            SafetyPlanSerializer(self.reload(plan)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=SafetyPlanItemInputSerializer, responses={201: SafetyPlanSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def items(self, request, pk=None):
        """Add an action to the plan."""
        plan = self.get_object()
        values = validated(SafetyPlanItemInputSerializer, request.data)
        services.safety_plan_item_add(actor=request.user, plan=plan, **values)
        return Response(
            SafetyPlanSerializer(self.reload(plan)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=SafetyPlanItemDoneInputSerializer,
        responses=SafetyPlanSerializer,
        parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"items/(?P<item_id>[0-9]+)/done",
        url_name="item-done",
        filter_backends=[],
    )
    def item_done(self, request, pk=None, item_id=None):
        """Tick an action off (done=false to undo)."""
        plan = self.get_object()
        item = plan.items.filter(pk=item_id).first()
        if item is None:
            raise Http404
        values = validated(SafetyPlanItemDoneInputSerializer, request.data)
        services.safety_plan_item_set_done(actor=request.user, item=item, done=values["done"])
        return self._plan(plan)

    @extend_schema(request=SafetyPlanReviewInputSerializer, responses={201: SafetyPlanSerializer})
    @action(detail=True, methods=["post"], filter_backends=[])
    def reviews(self, request, pk=None):
        """Record a review of the plan and set the next one."""
        plan = self.get_object()
        values = validated(SafetyPlanReviewInputSerializer, request.data)
        services.safety_plan_review(actor=request.user, plan=plan, **values)
        return Response(
            SafetyPlanSerializer(self.reload(plan)).data, status=status.HTTP_201_CREATED
        )


# --- Consent, referrals, documents ----------------------------------------------------------


class ReferralViewSet(RecordViewSet):
    """Referrals to other organisations (?case=, ?status=, ?organisation=).
    Sharing her data needs her consent for that kind of organisation, or an
    override_reason (audited)."""

    serializer_class = ReferralSerializer
    filterset_class = ReferralFilter
    ordering_fields = ["sent_on"]

    def base_queryset(self):
        return selectors.referral_queryset()

    @extend_schema(request=ReferralInputSerializer, responses={201: ReferralSerializer})
    def create(self, request):
        values = validated(ReferralInputSerializer, request.data)
        case = _writable(request.user, Case, values.pop("case"))
        referral = services.referral_create(actor=request.user, case=case, **values)
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReferralStatusInputSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[])
    def change_status(self, request, pk=None):
        """sent -> accepted or declined; accepted -> completed."""
        referral = self.get_object()
        values = validated(ReferralStatusInputSerializer, request.data)
        referral = services.referral_change_status(actor=request.user, referral=referral, **values)
        return Response(ReferralSerializer(self.reload(referral)).data)


class ConsentViewSet(RecordViewSet):
    """Her consent decisions (?client=). Never changed or removed: a withdrawal
    is a new decision with given=false, in force at once."""

    serializer_class = ConsentSerializer
    filterset_class = ClientChildFilter
    ordering_fields = ["recorded_at"]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return selectors.consent_queryset()

    @extend_schema(request=ConsentInputSerializer, responses={201: ConsentSerializer})
    def create(self, request):
        values = validated(ConsentInputSerializer, request.data)
        client = _writable(request.user, Client, values.pop("client"))
        form_id = values.pop("signed_form", None)
        signed_form = None
        if form_id is not None:
            signed_form = client.documents.filter(pk=form_id).first()
            if signed_form is None:
                raise DjangoValidationError({"signed_form": _("That is not one of her documents.")})
        consent = services.consent_record(
            actor=request.user, client=client, signed_form=signed_form, **values
        )
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class DocumentFilter(ClientChildFilter):
    """?client=, ?case=, ?session=."""

    case = NumberFilter(field_name="case_id")
    session = NumberFilter(field_name="session_id")


class DocumentViewSet(RecordViewSet):
    """Files on a client, a case or a session. Uploaded as multipart form data,
    checked by content, stored encrypted; the bytes are served only by
    /download/, which is audited like any read."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["uploaded_at"]
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def base_queryset(self):
        return selectors.document_queryset()

    @extend_schema(request=DocumentInputSerializer, responses={201: DocumentSerializer})
    def create(self, request):
        values = validated(DocumentInputSerializer, request.data)
        session = case = client = None
        if values.get("session"):
            session = _writable(request.user, CounsellingSession, values["session"])
            if values.get("case") and values["case"] != session.case_id:
                raise DjangoValidationError({"session": _("That session belongs to another case.")})
            case = session.case
        elif values.get("case"):
            case = _writable(request.user, Case, values["case"])
        if values.get("client"):
            client = _writable(request.user, Client, values["client"])
        else:
            client = case.client
        document = services.document_upload(
            actor=request.user,
            client=client,
            case=case,
            session=session,
            uploaded_file=values["file"],
            title=values.get("title", ""),
        )
        return Response(
            DocumentSerializer(self.reload(document)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The file, with its own content type, as an attachment.",
            )
        }
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        content_negotiation_class=IgnoreAcceptNegotiation,
    )
    def download(self, request, pk=None):
        """The file itself (decrypted), as an attachment that is never cached."""
        document = self.get_object()  # audited read
        response = FileResponse(
            io.BytesIO(services.document_content(document)),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["Cache-Control"] = "no-store"
        return response


ROUTES = [
    ("clients", ClientViewSet, "client"),
    ("children", ChildViewSet, "child"),
    ("cases", CaseViewSet, "case"),
    ("sessions", SessionViewSet, "session"),
    ("case-events", CaseEventViewSet, "case-event"),
    ("risk-assessments", RiskAssessmentViewSet, "risk-assessment"),
    ("safety-plans", SafetyPlanViewSet, "safety-plan"),
    ("referrals", ReferralViewSet, "referral"),
    ("consents", ConsentViewSet, "consent"),
    ("documents", DocumentViewSet, "document"),
]
