from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ngo import access
from ngo.access import Need
from ngo.access.viewsets import ScopedReadOnlyViewSet
from ngo.directory import selectors, services
from ngo.directory.filters import ContactPersonFilter, OrganisationFilter
from ngo.directory.models import Organisation
from ngo.directory.serializers import (
    ContactPersonInputSerializer,
    ContactPersonSerializer,
    DuplicateOrganisationErrorSerializer,
    ImportReportSerializer,
    OrganisationImportInputSerializer,
    OrganisationInputSerializer,
    OrganisationRefSerializer,
    OrganisationSerializer,
)
from ngo.lib import request_context


def duplicate_response(exc: services.PossibleDuplicateOrganisation) -> Response:
    context = request_context.current()
    body = {
        "error": {
            "status": status.HTTP_409_CONFLICT,
            "code": "possible_duplicate",
            "message": str(exc.messages[0]),
            "fields": {},
            "matches": OrganisationRefSerializer(exc.matches, many=True).data,
        },
        "request_id": context.request_id if context else "",
    }
    return Response(body, status=status.HTTP_409_CONFLICT)


class OrganisationViewSet(ScopedReadOnlyViewSet):
    """The shared directory of organisations (hospitals, legal aid, shelters,
    partners, authorities). Staff who work with cases or campaigns read it;
    counsellors, managers, coordinators and administrators add and correct
    entries. Entries are deactivated (PATCH is_active=false), never deleted:
    referrals and campaigns point at them. A name already in the directory
    (case and spaces ignored) answers 409 with the existing entries; send
    again with confirm_duplicate=true if it is a different organisation.
    Contact people's e-mail and phone are left out for volunteers."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name_en", "name_ko", "kind", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return selectors.organisation_queryset()

    @extend_schema(
        request=OrganisationInputSerializer,
        responses={
            201: OrganisationSerializer,
            409: OpenApiResponse(DuplicateOrganisationErrorSerializer),
        },
    )
    def create(self, request):
        access.require_create(request.user, Organisation)
        data = OrganisationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            organisation = services.organisation_create(actor=request.user, **data.validated_data)
        except services.PossibleDuplicateOrganisation as exc:
            return duplicate_response(exc)
        organisation = self.base_queryset().get(pk=organisation.pk)
        return Response(
            OrganisationSerializer(organisation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=OrganisationInputSerializer,
        responses={
            200: OrganisationSerializer,
            409: OpenApiResponse(DuplicateOrganisationErrorSerializer),
        },
    )
    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        data = OrganisationInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("confirm_duplicate", False)
        try:
            organisation = services.organisation_update(
                actor=request.user, organisation=organisation, **values
            )
        except services.PossibleDuplicateOrganisation as exc:
            return duplicate_response(exc)
        organisation = self.base_queryset().get(pk=organisation.pk)
        return Response(
            OrganisationSerializer(organisation, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request={"multipart/form-data": OrganisationImportInputSerializer},
        responses=ImportReportSerializer,
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_csv(self, request):
        """Create organisations from a CSV file (UTF-8, with or without BOM;
        English or Korean column names). Answers the row-by-row report:
        created, refused (with the reasons) or duplicate."""
        access.require_create(request.user, Organisation)
        data = OrganisationImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        content = upload.read(services.IMPORT_MAX_BYTES + 1)  # the service refuses larger files
        report = services.organisation_import(
            actor=request.user,
            content=content,
            confirm_duplicates=data.validated_data["confirm_duplicates"],
        )
        return Response(import_report_data(report))


def import_report_data(report) -> dict:
    return {
        "created": report.created,
        "refused": report.refused,
        "error": report.error,
        "rows": [row.__dict__ for row in report.rows],
    }


class ContactPersonViewSet(ScopedReadOnlyViewSet):
    """People to reach at an organisation (?organisation=). Their e-mail and
    phone are shown to staff only, never to volunteers."""

    serializer_class = ContactPersonSerializer
    filterset_class = ContactPersonFilter
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self):
        return selectors.contact_queryset()

    @extend_schema(request=ContactPersonInputSerializer, responses={201: ContactPersonSerializer})
    def create(self, request):
        data = ContactPersonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = access.get_for_user(
            request.user, Organisation, values.pop("organisation"), Need.WRITE
        )
        contact = services.contact_add(actor=request.user, organisation=organisation, **values)
        return Response(
            ContactPersonSerializer(contact, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=ContactPersonInputSerializer, responses=ContactPersonSerializer)
    def partial_update(self, request, pk=None):
        contact = self.get_object()
        data = ContactPersonInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("organisation", None)
        contact = services.contact_update(actor=request.user, contact=contact, **values)
        return Response(
            ContactPersonSerializer(contact, context=self.get_serializer_context()).data
        )

    def destroy(self, request, pk=None):
        services.contact_remove(actor=request.user, contact=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


ROUTES = [
    ("organisations", OrganisationViewSet, "organisation"),
    ("organisation-contacts", ContactPersonViewSet, "organisation-contact"),
]
