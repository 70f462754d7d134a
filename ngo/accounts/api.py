from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status
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
    ApiTokenInputSerializer,
    ApiTokenIssuedSerializer,
    ApiTokenSerializer,
    BranchInputSerializer,
    BranchSerializer,
    MeSerializer,
    StaffInputSerializer,
    StaffSerializer,
)


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
    """Her API tokens. GET lists those that still work; POST issues a named one
    (only from a signed-in, second-factor-verified browser session, never with a
    token; the key is in the answer once); DELETE revokes all of them."""

    throttle_scope = "token"

    def get_throttles(self):
        return [FailOpenScopedRateThrottle()] if self.request.method == "POST" else []

    @extend_schema(responses=ApiTokenSerializer(many=True))
    def get(self, request):
        tokens = selectors.api_token_list(user=request.user)
        return Response(ApiTokenSerializer(tokens, many=True).data)

    @extend_schema(request=ApiTokenInputSerializer, responses={201: ApiTokenIssuedSerializer})
    def post(self, request):
        if request.auth is not None:
            raise exceptions.PermissionDenied(
                _("A token cannot create another token. Sign in with your browser.")
            )
        data = ApiTokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issued = services.issue_api_token(
            user=request.user,
            name=data.validated_data["name"],
            device=getattr(request.user, "otp_device", None),
        )
        body = {**ApiTokenSerializer(issued.token).data, "token": issued.key}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        services.api_tokens_revoke_all(actor=request.user, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenDetailView(APIView):
    """Revoke one of her tokens."""

    @extend_schema(operation_id="v1_auth_token_revoke", request=None, responses={204: None})
    def delete(self, request, pk: int):
        token = selectors.api_token_for_user(user=request.user, pk=pk)
        services.api_token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


# What this app adds to /api/v1/ (ngo/urls.py gathers every app's).
ROUTES = [
    ("branches", BranchViewSet, "branch"),
    ("staff", StaffViewSet, "staff"),
]
API_PATHS = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/<int:pk>/", TokenDetailView.as_view(), name="token-detail"),
]
