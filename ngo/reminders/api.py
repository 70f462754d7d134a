from django.urls import path
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from ngo.access.api import ScopedViewSetMixin, validated
from ngo.reminders import selectors, services
from ngo.reminders.models import Notification
from ngo.reminders.serializers import (
    MarkReadSerializer,
    NotificationSerializer,
    PreferenceInputSerializer,
    PreferenceSerializer,
)


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="unread")

    class Meta:
        model = Notification
        fields = ["unread"]


class NotificationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's own notifications, newest first."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    queryset = Notification.objects.none()  # for the schema; requests use base_queryset

    def base_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notifications_for(self.request.user)

    @extend_schema(
        request=MarkReadSerializer,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        """Mark the given notifications (or, without `ids`, all) as read."""
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notification_mark_read(
            user=request.user, notification_ids=data.validated_data.get("ids")
        )
        return Response({"marked": marked})


class PreferenceView(APIView):
    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response(PreferenceSerializer(selectors.preference_for(request.user)).data)

    @extend_schema(request=PreferenceInputSerializer, responses=PreferenceSerializer)
    def put(self, request):
        data = validated(PreferenceInputSerializer, request.data)
        preference = services.preference_update(user=request.user, email_mode=data["email_mode"])
        return Response(PreferenceSerializer(preference).data)


ROUTES = [("notifications", NotificationViewSet, "notification")]
API_PATHS = [
    path("notification-settings/", PreferenceView.as_view(), name="notification-settings"),
]
