from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ngo.directory.access_rules import sees_contact_details
from ngo.directory.models import (
    AuthorityType,
    ContactPerson,
    Organisation,
    OrganisationKind,
    OrganisationScope,
)
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


class ContactPersonSerializer(serializers.ModelSerializer):
    """A contact person. `email` and `phone` are left out for readers without
    the contact-details capability (volunteers)."""

    email = serializers.CharField(read_only=True, required=False, help_text="Staff only.")
    phone = serializers.CharField(read_only=True, required=False, help_text="Staff only.")

    class Meta:
        model = ContactPerson
        fields = [
            "id",
            "version",
            "organisation",
            "name",
            "title",
            "email",
            "phone",
            "notes",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not sees_contact_details(request.user):
            data.pop("email", None)
            data.pop("phone", None)
        return data


class ContactPersonInputSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False)
    name = serializers.CharField(max_length=120, required=False)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)

    def validate(self, attrs):
        if not self.partial:
            errors = {}
            if "organisation" not in attrs:
                errors["organisation"] = [_("This field is required.")]
            if not attrs.get("name"):
                errors["name"] = [_("This field is required.")]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class OrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    # A plain code: the model field's choices would put every country in the schema.
    country = serializers.CharField(read_only=True)
    tags = serializers.ListField(child=serializers.CharField(), read_only=True, source="tag_names")
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "version",
            "name",
            "name_ko",
            "name_en",
            "kind",
            "authority_type",
            "country",
            "scope",
            "website",
            "email",
            "phone",
            "tags",
            "notes",
            "contacts",
            "is_active",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ContactPersonSerializer(many=True))
    def get_contacts(self, organisation) -> list[dict]:
        contacts = [c for c in organisation.contacts.all() if c.is_active]
        return ContactPersonSerializer(contacts, many=True, context=self.context).data


class OrganisationRefSerializer(serializers.ModelSerializer):
    """An organisation as other records mention it."""

    name = serializers.CharField(read_only=True)
    country = serializers.CharField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "country"]
        read_only_fields = fields


class OrganisationInputSerializer(serializers.Serializer):
    name_ko = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    authority_type = serializers.ChoiceField(
        choices=AuthorityType.choices, required=False, allow_blank=True
    )
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
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Create (or rename) even though the name is already in the directory.",
    )

    def validate(self, attrs):
        if not self.partial and not (attrs.get("name_ko") or attrs.get("name_en")):
            raise serializers.ValidationError(_("Give the name in Korean or in English."))
        return attrs


class DuplicateOrganisationErrorSerializer(serializers.Serializer):
    """The 409 answer: the organisations already in the directory under that name."""

    class Error(serializers.Serializer):
        status = serializers.IntegerField()
        code = serializers.CharField()
        message = serializers.CharField()
        fields = serializers.DictField()
        matches = OrganisationRefSerializer(many=True)

    error = Error()
    request_id = serializers.CharField()


class OrganisationImportInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    confirm_duplicates = serializers.BooleanField(required=False, default=False)


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "refused", "duplicate"])
    messages = serializers.ListField(child=serializers.CharField())
    organisation_id = serializers.IntegerField(allow_null=True)


class ImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    refused = serializers.IntegerField()
    error = serializers.CharField()
    rows = ImportRowSerializer(many=True)
