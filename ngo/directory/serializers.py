from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ngo.directory.models import Organisation, OrganisationKind, OrganisationScope
from ngo.lib.codes import validate_country_code


class CountryCodeField(serializers.CharField):
    """An ISO 3166 alpha-2 code ("vn" is read as "VN"); a plain string in the schema,
    not an enum of every country."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("help_text", "ISO 3166 code, e.g. KR, VN, PH.")
        super().__init__(**kwargs)
        self.validators.append(validate_country_code)

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().upper()


class OrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    # A plain code: the model field's choices would put every country in the schema.
    country = serializers.CharField(read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "name_ko",
            "name_en",
            "kind",
            "country",
            "scope",
            "website",
            "email",
            "phone",
            "tags",
            "notes",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields


class OrganisationRefSerializer(serializers.ModelSerializer):
    """An organisation as other records mention it."""

    name = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind"]
        read_only_fields = fields


class OrganisationInputSerializer(serializers.Serializer):
    name_ko = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    country = CountryCodeField(required=False)
    scope = serializers.ChoiceField(choices=OrganisationScope.choices, required=False)
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50), required=False, max_length=30
    )
    notes = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if not self.partial and not (attrs.get("name_ko") or attrs.get("name_en")):
            raise serializers.ValidationError(_("Give the name in Korean or in English."))
        return attrs
