"""The campaigns REST API: thin viewsets that validate, fetch through the
access module, call a service or a selector, and render.

- Lists are scoped to the user; retrieves are audited reads.
- A record that hangs off a campaign (demand, action, sign-on, task) or a
  coalition (membership) fetches that parent with Need.WRITE first: a reader
  who may not write answers 403, someone who cannot read it 404.
- Every write goes through campaigns.services.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from campaigns import exports, selectors, services
from campaigns.filters import (
    CampaignActionFilter,
    CampaignFilter,
    CampaignTaskFilter,
    CoalitionFilter,
    DemandFilter,
    MembershipFilter,
    SignatoryFilter,
    SignOnFilter,
)
from campaigns.models import (
    Campaign,
    CampaignAction,
    Coalition,
    SignOn,
)
from campaigns.serializers import (
    ActionFileInputSerializer,
    ActionFileSerializer,
    CampaignActionInputSerializer,
    CampaignActionSerializer,
    CampaignInputSerializer,
    CampaignSerializer,
    CampaignTaskInputSerializer,
    CampaignTaskSerializer,
    CoalitionInputSerializer,
    CoalitionSerializer,
    DemandDetailSerializer,
    DemandInputSerializer,
    DemandSerializer,
    MembershipEndInputSerializer,
    MembershipInputSerializer,
    MembershipSerializer,
    NetworkSerializer,
    SignatoryInputSerializer,
    SignatorySerializer,
    SignOnInputSerializer,
    SignOnSerializer,
)
from ngo import access
from ngo.access import Need
from ngo.access.api import IgnoreAcceptNegotiation, validated
from ngo.access.viewsets import ScopedReadOnlyViewSet
from ngo.lib import tabular

EXPORT_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="The file.")


def _writable(user, model, pk):
    """The parent record for a write: 404 outside the user's scope, 403 if she
    may only read it; both audited."""
    return access.get_for_user(user, model, pk, Need.WRITE)


def _referenced(user, model, pk, field: str):
    """A record only pointed at (the coalition of a campaign): readable, or a 400."""
    if pk is None:
        return None
    found = access.scope(user, model).filter(pk=pk).first()
    if found is None:
        from django.utils.translation import gettext as _

        raise DjangoValidationError({field: _("No such record.")})
    return found


class CampaignsViewSet(ScopedReadOnlyViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]

    def reload(self, obj):
        return self.get_queryset().get(pk=obj.pk)

    def retrieve(self, request, pk=None):
        # Read (and audited) through the access rule, shown as the list shows it:
        # the counts are annotations of the list's queryset.
        return self.out(self.get_object())

    def out(self, obj, status_code=status.HTTP_200_OK):
        return Response(
            self.serializer_class(self.reload(obj), context=self.get_serializer_context()).data,
            status=status_code,
        )


class CoalitionViewSet(CampaignsViewSet):
    """Coalitions and networks the centre works in; the centre's own role and
    the count of current members."""

    serializer_class = CoalitionSerializer
    filterset_class = CoalitionFilter
    ordering_fields = ["name_ko", "name_en", "founded_on"]

    def base_queryset(self):
        return selectors.coalition_queryset()

    def get_queryset(self):
        return selectors.coalition_list(user=self.request.user)

    @extend_schema(request=CoalitionInputSerializer, responses={201: CoalitionSerializer})
    def create(self, request):
        access.require_create(request.user, Coalition)
        values = validated(CoalitionInputSerializer, request.data)
        coalition = services.coalition_create(actor=request.user, **values)
        return self.out(coalition, status.HTTP_201_CREATED)

    @extend_schema(request=CoalitionInputSerializer, responses=CoalitionSerializer)
    def partial_update(self, request, pk=None):
        coalition = self.get_object()
        values = validated(CoalitionInputSerializer, request.data, partial=True)
        services.coalition_update(actor=request.user, coalition=coalition, **values)
        return self.out(coalition)


class MembershipViewSet(CampaignsViewSet):
    """Memberships of organisations in coalitions (?coalition=, ?organisation=,
    ?active=). Leaving (POST /end/) sets left_on; history is kept."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter
    ordering_fields = ["joined_on", "left_on"]

    def base_queryset(self):
        return selectors.membership_queryset()

    @extend_schema(request=MembershipInputSerializer, responses={201: MembershipSerializer})
    def create(self, request):
        values = validated(MembershipInputSerializer, request.data)
        coalition = _writable(request.user, Coalition, values.pop("coalition"))
        membership = services.membership_add(
            actor=request.user,
            coalition=coalition,
            organisation=values.pop("organisation"),
            **values,
        )
        return self.out(membership, status.HTTP_201_CREATED)

    @extend_schema(request=MembershipInputSerializer, responses=MembershipSerializer)
    def partial_update(self, request, pk=None):
        membership = self.get_object()
        values = validated(MembershipInputSerializer, request.data, partial=True)
        values.pop("coalition", None)
        values.pop("organisation", None)
        services.membership_update(actor=request.user, membership=membership, **values)
        return self.out(membership)

    @extend_schema(request=MembershipEndInputSerializer, responses=MembershipSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def end(self, request, pk=None):
        """The organisation left the coalition (today unless left_on is given)."""
        membership = self.get_object()
        values = validated(MembershipEndInputSerializer, request.data)
        services.membership_end(actor=request.user, membership=membership, **values)
        return self.out(membership)


class CampaignViewSet(CampaignsViewSet):
    """Campaigns: run by the centre alone or through a coalition; status from
    planning to won, partly won, lost or suspended. An outcome is refused while
    the campaign is still in planning."""

    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    ordering_fields = ["starts_on", "title", "status", "updated_at"]

    def base_queryset(self):
        return selectors.campaign_queryset()

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user)

    def _values(self, request, partial: bool) -> dict:
        values = validated(CampaignInputSerializer, request.data, partial=partial)
        if "coalition" in values:
            values["coalition"] = _referenced(
                request.user, Coalition, values["coalition"], "coalition"
            )
        return values

    @extend_schema(request=CampaignInputSerializer, responses={201: CampaignSerializer})
    def create(self, request):
        access.require_create(request.user, Campaign)
        campaign = services.campaign_create(actor=request.user, **self._values(request, False))
        return self.out(campaign, status.HTTP_201_CREATED)

    @extend_schema(request=CampaignInputSerializer, responses=CampaignSerializer)
    def partial_update(self, request, pk=None):
        campaign = self.get_object()
        services.campaign_update(
            actor=request.user, campaign=campaign, **self._values(request, True)
        )
        return self.out(campaign)

    @extend_schema(
        parameters=[
            OpenApiParameter("coalition", OpenApiTypes.INT, description="Only this coalition."),
            OpenApiParameter(
                "country",
                OpenApiTypes.STR,
                description="Only organisations of this country (ISO code).",
            ),
        ],
        responses=NetworkSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def network(self, request):
        """Organisations, coalitions and campaigns as a graph (nodes and edges),
        for the network view; only what the user may read."""
        coalition = request.query_params.get("coalition") or None
        try:
            coalition = int(coalition) if coalition else None
        except ValueError:
            raise DjangoValidationError({"coalition": "?"}) from None
        data = selectors.network(
            user=request.user,
            coalition_id=coalition,
            country=request.query_params.get("country", "")[:2],
        )
        return Response(NetworkSerializer(data).data)


class DemandViewSet(CampaignsViewSet):
    """Demands of campaigns (?campaign=), each addressed to an authority of the
    directory (?addressed_to=)."""

    serializer_class = DemandSerializer
    filterset_class = DemandFilter
    ordering_fields = ["position", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return selectors.demand_queryset()

    def out(self, obj, status_code=status.HTTP_200_OK):
        """One demand: with its evidence chain (lists stay plain)."""
        return Response(
            DemandDetailSerializer(self.reload(obj), context=self.get_serializer_context()).data,
            status=status_code,
        )

    @extend_schema(responses=DemandDetailSerializer)
    def retrieve(self, request, pk=None):
        return super().retrieve(request, pk)

    @extend_schema(request=DemandInputSerializer, responses={201: DemandDetailSerializer})
    def create(self, request):
        values = validated(DemandInputSerializer, request.data)
        campaign = _writable(request.user, Campaign, values.pop("campaign"))
        demand = services.demand_add(actor=request.user, campaign=campaign, **values)
        return self.out(demand, status.HTTP_201_CREATED)

    @extend_schema(request=DemandInputSerializer, responses=DemandDetailSerializer)
    def partial_update(self, request, pk=None):
        demand = self.get_object()
        values = validated(DemandInputSerializer, request.data, partial=True)
        values.pop("campaign", None)
        services.demand_update(actor=request.user, demand=demand, **values)
        return self.out(demand)

    def destroy(self, request, pk=None):
        services.demand_remove(actor=request.user, demand=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CampaignActionViewSet(CampaignsViewSet):
    """Actions of campaigns: press conferences, rallies, forums, sign-on letters,
    petitions, meetings with officials, public comments, media work,
    international advocacy."""

    serializer_class = CampaignActionSerializer
    filterset_class = CampaignActionFilter
    ordering_fields = ["occurred_on", "created_at"]

    def base_queryset(self):
        return selectors.action_queryset()

    @extend_schema(request=CampaignActionInputSerializer, responses={201: CampaignActionSerializer})
    def create(self, request):
        values = validated(CampaignActionInputSerializer, request.data)
        campaign = _writable(request.user, Campaign, values.pop("campaign"))
        recorded = services.action_record(actor=request.user, campaign=campaign, **values)
        return self.out(recorded, status.HTTP_201_CREATED)

    @extend_schema(request=CampaignActionInputSerializer, responses=CampaignActionSerializer)
    def partial_update(self, request, pk=None):
        recorded = self.get_object()
        values = validated(CampaignActionInputSerializer, request.data, partial=True)
        values.pop("campaign", None)
        services.action_update(actor=request.user, action=recorded, **values)
        return self.out(recorded)


class ActionFileViewSet(CampaignsViewSet):
    """Files of actions (?action=). Upload with multipart POST; the content is
    served only by /download/, after the access check, and the read is audited."""

    serializer_class = ActionFileSerializer
    ordering_fields = ["uploaded_at"]
    filterset_fields = ["action"]
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [MultiPartParser, FormParser]

    def base_queryset(self):
        return selectors.action_file_queryset()

    @extend_schema(
        request={"multipart/form-data": ActionFileInputSerializer},
        responses={201: ActionFileSerializer},
    )
    def create(self, request):
        values = validated(ActionFileInputSerializer, request.data)
        parent = _writable(request.user, CampaignAction, values["action"])
        stored = services.action_file_upload(
            actor=request.user,
            action=parent,
            uploaded_file=values["file"],
            title=values.get("title", ""),
        )
        return self.out(stored, status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): EXPORT_RESPONSE})
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        content_negotiation_class=IgnoreAcceptNegotiation,
    )
    def download(self, request, pk=None):
        stored = self.get_object()  # audited read
        response = HttpResponse(
            services.action_file_content(stored), content_type=stored.content_type
        )
        from django.utils.http import content_disposition_header

        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=stored.original_name
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class SignOnViewSet(CampaignsViewSet):
    """Sign-on letters and petitions (?campaign=, ?open=): text, deadline,
    signatory organisations (each once) and the count of individual signatures.
    The public signatory list is exported as CSV or XLSX (organisation names and
    countries only); every export is audited."""

    serializer_class = SignOnSerializer
    filterset_class = SignOnFilter
    ordering_fields = ["deadline", "created_at"]

    def base_queryset(self):
        return selectors.sign_on_queryset()

    @extend_schema(request=SignOnInputSerializer, responses={201: SignOnSerializer})
    def create(self, request):
        values = validated(SignOnInputSerializer, request.data)
        campaign = _writable(request.user, Campaign, values.pop("campaign"))
        sign_on = services.sign_on_create(actor=request.user, campaign=campaign, **values)
        return self.out(sign_on, status.HTTP_201_CREATED)

    @extend_schema(request=SignOnInputSerializer, responses=SignOnSerializer)
    def partial_update(self, request, pk=None):
        sign_on = self.get_object()
        values = validated(SignOnInputSerializer, request.data, partial=True)
        values.pop("campaign", None)
        services.sign_on_update(actor=request.user, sign_on=sign_on, **values)
        return self.out(sign_on)

    def _exported(self, request, pk) -> SignOn:
        return selectors.sign_on_get(user=request.user, pk=pk, audit_read=False)

    @extend_schema(
        operation_id="v1_sign_ons_signatories_csv_retrieve",
        responses={(200, "text/csv"): EXPORT_RESPONSE},
    )
    def signatories_csv(self, request, pk=None):
        """The public signatory list as CSV (UTF-8 with BOM). Audited."""
        return exports.signatories_csv(actor=request.user, sign_on=self._exported(request, pk))

    @extend_schema(
        operation_id="v1_sign_ons_signatories_xlsx_retrieve",
        responses={(200, tabular.XLSX): EXPORT_RESPONSE},
    )
    def signatories_xlsx(self, request, pk=None):
        """The public signatory list as an Excel workbook. Audited."""
        return exports.signatories_xlsx(actor=request.user, sign_on=self._exported(request, pk))


# Mapped by ngo/urls.py to sign-ons/{id}/signatories.csv and .xlsx.
EXPORT_VIEW_OPTIONS = {
    "filter_backends": [],
    "pagination_class": None,
    "content_negotiation_class": IgnoreAcceptNegotiation,
}


class SignatoryViewSet(CampaignsViewSet):
    """Organisations that signed a sign-on (?sign_on=, ?organisation=). An
    organisation signs once: a second signature answers 400."""

    serializer_class = SignatorySerializer
    filterset_class = SignatoryFilter
    ordering_fields = ["signed_on"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def base_queryset(self):
        return selectors.signatory_queryset()

    @extend_schema(request=SignatoryInputSerializer, responses={201: SignatorySerializer})
    def create(self, request):
        values = validated(SignatoryInputSerializer, request.data)
        sign_on = _writable(request.user, SignOn, values.pop("sign_on"))
        signatory = services.signatory_add(actor=request.user, sign_on=sign_on, **values)
        return self.out(signatory, status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        services.signatory_remove(actor=request.user, signatory=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CampaignTaskViewSet(CampaignsViewSet):
    """Coordinators' tasks (?campaign=, ?assignee=, ?done=, ?due_before=, ?mine=)."""

    serializer_class = CampaignTaskSerializer
    filterset_class = CampaignTaskFilter
    ordering_fields = ["due_on", "created_at"]

    def base_queryset(self):
        return selectors.task_queryset()

    @extend_schema(request=CampaignTaskInputSerializer, responses={201: CampaignTaskSerializer})
    def create(self, request):
        values = validated(CampaignTaskInputSerializer, request.data)
        campaign = _writable(request.user, Campaign, values.pop("campaign"))
        done = values.pop("done", False)
        with transaction.atomic():
            task = services.task_add(actor=request.user, campaign=campaign, **values)
            if done:
                services.task_set_done(actor=request.user, task=task, done=True)
        return self.out(task, status.HTTP_201_CREATED)

    @extend_schema(request=CampaignTaskInputSerializer, responses=CampaignTaskSerializer)
    def partial_update(self, request, pk=None):
        task = self.get_object()
        values = validated(CampaignTaskInputSerializer, request.data, partial=True)
        values.pop("campaign", None)
        done = values.pop("done", None)
        with transaction.atomic():
            services.task_update(actor=request.user, task=task, **values)
            if done is not None:
                services.task_set_done(actor=request.user, task=task, done=done)
        return self.out(task)


ROUTES = [
    ("coalitions", CoalitionViewSet, "coalition"),
    ("memberships", MembershipViewSet, "membership"),
    ("campaigns", CampaignViewSet, "campaign"),
    ("demands", DemandViewSet, "demand"),
    ("campaign-actions", CampaignActionViewSet, "campaign-action"),
    ("action-files", ActionFileViewSet, "action-file"),
    ("sign-ons", SignOnViewSet, "sign-on"),
    ("signatories", SignatoryViewSet, "signatory"),
    ("campaign-tasks", CampaignTaskViewSet, "campaign-task"),
]
# Before the router, whose format-suffix routes would take "signatories.csv".
API_PATHS = [
    path(
        f"sign-ons/<int:pk>/signatories.{file_format}",
        SignOnViewSet.as_view({"get": f"signatories_{file_format}"}, **EXPORT_VIEW_OPTIONS),
        name=f"sign-on-signatories-{file_format}",
    )
    for file_format in ("csv", "xlsx")
]
