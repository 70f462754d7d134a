"""Consent decisions."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from counselling import selectors, services
from counselling.api._common import RecordViewSet, _writable
from counselling.filters import (
    ClientChildFilter,
)
from counselling.models import (
    Client,
)
from counselling.serializers import (
    ConsentInputSerializer,
    ConsentSerializer,
)
from ngo.access.api import validated


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
