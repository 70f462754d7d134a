"""A client and her children: what the API shows and what it takes."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from counselling import selectors
from counselling.models import (
    Case,
    Child,
    Client,
    ConsentPurpose,
    MaritalStatus,
    ResidenceStatus,
)
from counselling.serializers._common import (
    LanguageCodeField,
    UserRefSerializer,
    _active_staff,
    _language_list,
    _text,
)
from counselling.serializers.cases import CaseInputSerializer
from counselling.serializers.consents import IntakeConsentInputSerializer
from ngo.access.fields import BoundedDateField
from ngo.accounts.models import Branch
from ngo.directory.serializers import CountryCodeField


class DuplicateMatchSerializer(serializers.ModelSerializer):
    """A possible duplicate names her record, nothing about her."""

    class Meta:
        model = Client
        fields = ["id", "case_code"]
        read_only_fields = fields


class DuplicateCheckResultSerializer(serializers.Serializer):
    matches = DuplicateMatchSerializer(many=True, read_only=True)


class PossibleDuplicatesErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    matches = DuplicateMatchSerializer(many=True)


class PossibleDuplicatesErrorSerializer(serializers.Serializer):
    """The 409 answer of an unconfirmed intake that matches known clients: the
    usual error shape, plus the matches (id and case code only)."""

    error = PossibleDuplicatesErrorBodySerializer()
    request_id = serializers.CharField()


class ChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = [
            "id",
            "version",
            "client",
            "first_name",
            "birth_date",
            "age",
            "lives_with_client",
            "notes",
        ]
        read_only_fields = fields


class ConsentStateSerializer(serializers.Serializer):
    """The decision in force for one purpose; `given` is null if she was never asked."""

    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given = serializers.BooleanField(allow_null=True)
    consent = serializers.IntegerField(allow_null=True)
    decided_on = BoundedDateField(allow_null=True)
    organisation_kinds = serializers.ListField(child=serializers.CharField())


class ClientCaseSerializer(serializers.ModelSerializer):
    """One of her cases, as listed on her record."""

    branch = serializers.CharField(source="branch.code", read_only=True)
    case_types = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "branch",
            "case_types",
            "status",
            "risk_level",
            "opened_on",
            "closed_on",
            "restricted",
        ]
        read_only_fields = fields


CLIENT_SUMMARY_FIELDS = [
    "id",
    "version",
    "case_code",
    "branch",
    "name_original",
    "name_romanised",
    "display_name",
    "birth_date",
    "estimated_age",
    "nationality",
    "languages",
    "interpreter_needed",
    "marital_status",
    "created_at",
    "updated_at",
]


class ClientSummarySerializer(serializers.ModelSerializer):
    """A client in a list: who she is, not her story or how to reach her."""

    branch = serializers.CharField(source="branch.code", read_only=True)
    display_name = serializers.CharField(read_only=True)
    nationality = serializers.CharField(read_only=True)
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Client
        fields = CLIENT_SUMMARY_FIELDS
        read_only_fields = fields


class ClientSerializer(ClientSummarySerializer):
    """Her whole record, with her children, the consent in force per purpose and
    the cases the reader may see (set as `visible_cases` by the API)."""

    created_by = UserRefSerializer(read_only=True)
    children = ChildSerializer(many=True, read_only=True)
    consent = serializers.SerializerMethodField()
    cases = ClientCaseSerializer(source="visible_cases", many=True, read_only=True, default=())

    class Meta:
        model = Client
        fields = [
            *CLIENT_SUMMARY_FIELDS,
            "residence_status",
            "visa_expiry",
            "phone",
            "address",
            "safe_contact",
            "narrative",
            "created_by",
            "children",
            "consent",
            "cases",
        ]
        read_only_fields = fields

    @extend_schema_field(ConsentStateSerializer(many=True))
    def get_consent(self, client) -> list[dict]:
        states = []
        for purpose, consent in selectors.consent_summary(client=client).items():
            states.append(
                {
                    "purpose": purpose,
                    "given": consent.given if consent else None,
                    "consent": consent.pk if consent else None,
                    "decided_on": consent.decided_on if consent else None,
                    "organisation_kinds": consent.organisation_kinds if consent else [],
                }
            )
        return ConsentStateSerializer(states, many=True).data


class ClientInputSerializer(serializers.Serializer):
    """Her details, for intake and for changes (PATCH: any subset)."""

    name_original = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_romanised = serializers.CharField(max_length=200, required=False, allow_blank=True)
    birth_date = BoundedDateField(required=False, allow_null=True)
    estimated_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    nationality = CountryCodeField(required=False, allow_blank=True)
    languages = _language_list(required=False)
    interpreter_needed = serializers.BooleanField(required=False)
    residence_status = serializers.ChoiceField(
        choices=ResidenceStatus.choices, required=False, allow_blank=True, allow_null=True
    )
    visa_expiry = BoundedDateField(required=False, allow_null=True)
    marital_status = serializers.ChoiceField(choices=MaritalStatus.choices, required=False)
    phone = _text(max_length=40)
    address = _text()
    safe_contact = _text()
    narrative = _text()

    def validate(self, attrs):
        if not self.partial and not (attrs.get("name_original") or attrs.get("name_romanised")):
            raise serializers.ValidationError(_("Give her name in her own script or romanised."))
        return attrs


class ChildInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = BoundedDateField(required=False, allow_null=True)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=30)
    lives_with_client = serializers.BooleanField(required=False)
    notes = _text()


class ClientIntakeInputSerializer(ClientInputSerializer):
    """Register a woman and open her first case in one go."""

    branch = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Branch.objects.filter(is_active=True),
        required=False,
        help_text="Branch code; defaults to yours if you work at one branch.",
    )
    case = CaseInputSerializer()
    children = ChildInputSerializer(many=True, required=False)
    assigned = serializers.PrimaryKeyRelatedField(
        queryset=_active_staff(),
        many=True,
        required=False,
        help_text="Staff ids; defaults to you.",
    )
    confirm_not_duplicate = serializers.BooleanField(
        default=False,
        help_text="Set after a 409 when she is not one of the clients it listed.",
    )
    consents = IntakeConsentInputSerializer(
        many=True,
        required=False,
        max_length=len(ConsentPurpose.choices),
        help_text="Her decisions on the purposes she was asked about (refusals too).",
    )
    consent_language = LanguageCodeField(
        required=False, help_text="The language the consent was explained in (ISO 639-1)."
    )
    interpreter_explained = serializers.BooleanField(
        default=False, help_text="An interpreter explained the consent to her."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("consents") and not attrs.get("consent_language"):
            raise serializers.ValidationError(
                {"consent_language": [_("Say in which language the consent was explained.")]}
            )
        return attrs


class DuplicateCheckInputSerializer(serializers.Serializer):
    name_original = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_romanised = serializers.CharField(max_length=200, required=False, allow_blank=True)
    birth_date = BoundedDateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
