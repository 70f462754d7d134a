"""Consent texts: what the API shows and what it takes."""

from rest_framework import serializers

from counselling.consent_texts.models import ConsentText


class ConsentTextSerializer(serializers.ModelSerializer):
    reviewed_by = serializers.IntegerField(source="reviewed_by_id", read_only=True, allow_null=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)

    class Meta:
        model = ConsentText
        fields = [
            "id",
            "language",
            "section",
            "version",
            "heading",
            "body",
            "is_current",
            "reviewed_by_native_speaker",
            "reviewer_name",
            "reviewed_by",
            "reviewed_at",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ConsentTextInputSerializer(serializers.Serializer):
    """A new wording: saved as the next version, unreviewed."""

    heading = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=4000)


class ConsentTextReviewInputSerializer(serializers.Serializer):
    reviewer_name = serializers.CharField(
        max_length=200, help_text="The native speaker who reviewed this version."
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="The version that was reviewed; another current version answers 412.",
    )
