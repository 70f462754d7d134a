from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from ngo.directory import services
from ngo.directory.filters import OrganisationFilter
from ngo.directory.models import Organisation
from ngo.directory.serializers import OrganisationInputSerializer, OrganisationSerializer
from ngo.lib import access
from ngo.lib.viewsets import ScopedReadOnlyViewSet


class OrganisationViewSet(ScopedReadOnlyViewSet):
    """The shared directory of organisations (hospitals, legal aid, shelters,
    partners). Staff who work with cases or campaigns read it; counsellors,
    managers, coordinators and administrators add and correct entries.
    Entries are deactivated (PATCH is_active=false), never deleted: referrals
    point at them."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name_en", "name_ko", "kind", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return Organisation.objects.all()

    @extend_schema(request=OrganisationInputSerializer, responses={201: OrganisationSerializer})
    def create(self, request):
        access.require_create(request.user, Organisation)
        data = OrganisationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_create(actor=request.user, **data.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganisationInputSerializer, responses=OrganisationSerializer)
    def partial_update(self, request, pk=None):
        organisation = self.get_object()
        data = OrganisationInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_update(
            actor=request.user, organisation=organisation, **data.validated_data
        )
        return Response(OrganisationSerializer(organisation).data)
