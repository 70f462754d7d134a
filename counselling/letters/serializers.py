from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from counselling.letters.models import Letter
from counselling.letters.texts import CLIENT_LANGUAGES


class LetterSerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", read_only=True)
    prepared_by = serializers.CharField(source="prepared_by.full_name", read_only=True)
    approved_by = serializers.CharField(
        source="approved_by.full_name", read_only=True, allow_null=True, default=None
    )
    revoked_by = serializers.CharField(
        source="revoked_by.full_name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Letter
        fields = [
            "id",
            "version",
            "case",
            "branch",
            "status",
            "number",
            "language",
            "prepared_by",
            "prepared_at",
            "approved_by",
            "approved_at",
            "issued_on",
            "revoked_by",
            "revoked_at",
            "records_held",
        ]
        read_only_fields = fields


class LetterPrepareInputSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    language = serializers.ChoiceField(
        choices=["", *CLIENT_LANGUAGES],
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The second page's language; empty for none; omitted: from her languages."),
    )


class LetterRevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
