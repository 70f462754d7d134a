from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from ngo import access
from ngo.access.api import FailOpenScopedRateThrottle
from ngo.access.viewsets import ScopedReadOnlyViewSet, SearchByPostMixin, SearchFilterBackend
from ngo.accounts import selectors, services
from ngo.accounts.filters import BranchFilter, StaffFilter
from ngo.accounts.models import Branch, User
from ngo.accounts.serializers import (
    BranchInputSerializer,
    BranchSerializer,
    MeSerializer,
    StaffInputSerializer,
    StaffSerializer,
)
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record


class BranchViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """Branches: everyone sees her own, administrators and auditors all;
    administrators create and change them."""

    serializer_class = BranchSerializer
    filterset_class = BranchFilter
    ordering_fields = ["code", "name_en"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return selectors.branch_queryset()

    @extend_schema(request=BranchInputSerializer, responses={201: BranchSerializer})
    def create(self, request):
        access.require_create(request.user, Branch)
        data = BranchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        branch = services.branch_create(actor=request.user, **data.validated_data)
        return Response(BranchSerializer(branch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BranchInputSerializer, responses=BranchSerializer)
    def partial_update(self, request, pk=None):
        branch = self.get_object()
        data = BranchInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        branch = services.branch_update(actor=request.user, branch=branch, **data.validated_data)
        return Response(BranchSerializer(branch).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class StaffViewSet(
    SearchByPostMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet
):
    """Staff accounts: administrators manage them; branch managers see their
    branches' staff; everyone else sees herself. Accounts are deactivated
    (PATCH is_active=false), never deleted, so the audit trail stays whole."""

    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    # A staff member's name or e-mail is searched by POST staff/search/.
    filter_backends = [SearchFilterBackend, OrderingFilter]
    search_url_name = "api:staff-search"
    ordering_fields = ["full_name", "email", "role", "date_joined"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def base_queryset(self):
        return selectors.staff_queryset()

    def get_queryset(self):
        return selectors.staff_list(user=self.request.user)

    @extend_schema(request=StaffInputSerializer, responses={201: StaffSerializer})
    def create(self, request):
        access.require_create(request.user, User)
        data = StaffInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.pop("is_active", None)
        staff = services.staff_create(actor=request.user, **values)
        return Response(StaffSerializer(staff).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=StaffInputSerializer, responses=StaffSerializer)
    def partial_update(self, request, pk=None):
        staff = self.get_object()
        data = StaffInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        staff = services.staff_update(actor=request.user, staff=staff, **data.validated_data)
        return Response(StaffSerializer(staff).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class TokenView(APIView):
    """Issue (or replace) the caller's API token. Only from a signed-in,
    second-factor-verified browser session, never with a token."""

    authentication_classes = [SessionAuthentication]
    throttle_classes = [FailOpenScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=None,
        responses={201: inline_serializer("TokenOut", {"token": serializers.CharField()})},
    )
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        audit_record(
            action=AuditAction.CREATE, actor=request.user, obj=request.user, fields=["api_token"]
        )
        return Response({"token": token.key}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        audit_record(
            action=AuditAction.DELETE, actor=request.user, obj=request.user, fields=["api_token"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# What this app adds to /api/v1/ (ngo/urls.py gathers every app's).
ROUTES = [
    ("branches", BranchViewSet, "branch"),
    ("staff", StaffViewSet, "staff"),
]
API_PATHS = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenView.as_view(), name="token"),
]
