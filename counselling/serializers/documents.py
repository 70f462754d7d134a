"""Documents: what the API shows and what it takes."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from counselling.models import (
    Document,
    DocumentCategory,
)
from counselling.serializers._common import UserRefSerializer


class DocumentSerializer(serializers.ModelSerializer):
    """A document's description; the bytes come from its download_url."""

    uploaded_by = UserRefSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "client",
            "case",
            "session",
            "title",
            "original_name",
            "content_type",
            "kind",
            "category",
            "expires_on",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document) -> str:
        return reverse("api:document-download", args=[document.pk])


class DocumentInputSerializer(serializers.Serializer):
    """Attach a file to a client, one of her cases, or a session."""

    file = serializers.FileField(help_text="PDF, image or Office file.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    client = serializers.IntegerField(required=False)
    case = serializers.IntegerField(required=False)
    session = serializers.IntegerField(required=False)
    category = serializers.ChoiceField(
        choices=DocumentCategory.choices, required=False, default=DocumentCategory.OTHER
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    already_expired = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Store a document whose expiry date has passed (refused otherwise).",
    )

    def validate(self, attrs):
        if not any(attrs.get(name) for name in ("client", "case", "session")):
            raise serializers.ValidationError(
                {"client": _("Say which client, case or session the file belongs to.")}
            )
        return attrs
