"""REST representations of case data, HackSoft style: output serializers say what
a reader sees, separate input serializers say what a writer may send.

Inputs are checked here for shape and vocabulary only (types, choices, code
lists); the rules of the work (workflow, consent, dates, branches) belong to
counselling.services, whose ValidationErrors the API turns into 400s.
Outputs carry decrypted fields: they are only ever given records that the
access module let the user read.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from counselling import selectors
from counselling.models import (
    REFERRAL_ORGANISATION_KINDS,
    Case,
    CaseActivity,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    CaseType,
    Child,
    Client,
    ClosureReason,
    Consent,
    ConsentPurpose,
    CounsellingSession,
    Document,
    MaritalStatus,
    Referral,
    ReferralStatus,
    ResidenceStatus,
    RiskAssessment,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
    Service,
    SessionMode,
)
from ngo.accounts.models import Branch, User
from ngo.directory.models import Organisation
from ngo.directory.serializers import CountryCodeField, OrganisationRefSerializer
from ngo.lib.codes import validate_language_code

# --- Fields ----------------------------------------------------------------------------


class FlatListField(serializers.ListField):
    """A list whose item errors are reported on the list ("languages"), not per
    index ("languages.1"), so that a form can show them next to the field."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            details = error.detail.values() if isinstance(error.detail, dict) else [error.detail]
            raise serializers.ValidationError(
                [message for detail in details for message in detail]
            ) from None


class LanguageCodeField(serializers.CharField):
    """An ISO 639-1 code; a plain string in the schema, not an enum of every language."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("help_text", "ISO 639-1 code, e.g. vi, zh, tl.")
        super().__init__(**kwargs)
        self.validators.append(validate_language_code)

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().lower()


def _language_list(**kwargs) -> FlatListField:
    return FlatListField(child=LanguageCodeField(), **kwargs)


def _choice_list(choices, **kwargs) -> FlatListField:
    return FlatListField(child=serializers.ChoiceField(choices=choices), **kwargs)


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, allow_null=True, **kwargs)


def _active_staff():
    return User.objects.filter(is_active=True)


# --- Output: shared pieces ---------------------------------------------------------------


class UserRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields


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


# --- Output: clients -------------------------------------------------------------------------


class ChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "client", "first_name", "birth_date", "age", "lives_with_client", "notes"]
        read_only_fields = fields


class ConsentStateSerializer(serializers.Serializer):
    """The decision in force for one purpose; `given` is null if she was never asked."""

    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given = serializers.BooleanField(allow_null=True)
    consent = serializers.IntegerField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
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


# --- Output: cases ----------------------------------------------------------------------------

CASE_SUMMARY_FIELDS = [
    "id",
    "reference",
    "client",
    "client_case_code",
    "client_name",
    "branch",
    "case_types",
    "status",
    "risk_level",
    "assigned",
    "opened_on",
    "closed_on",
    "closure_reason",
    "restricted",
    "updated_at",
]


class CaseSummarySerializer(serializers.ModelSerializer):
    client_case_code = serializers.CharField(source="client.case_code", read_only=True)
    client_name = serializers.CharField(source="client.display_name", read_only=True)
    branch = serializers.CharField(source="branch.code", read_only=True)
    case_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    assigned = UserRefSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = CASE_SUMMARY_FIELDS
        read_only_fields = fields


class CaseSerializer(CaseSummarySerializer):
    class Meta:
        model = Case
        fields = [*CASE_SUMMARY_FIELDS, "summary", "closure_note", "created_at"]
        read_only_fields = fields


class CaseActivitySerializer(serializers.ModelSerializer):
    """One line of the case timeline."""

    actor = UserRefSerializer(read_only=True)

    class Meta:
        model = CaseActivity
        fields = ["id", "kind", "occurred_at", "actor", "case", "object_type", "object_id", "label"]
        read_only_fields = fields


# --- Output: what hangs off a case -------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    staff = UserRefSerializer(read_only=True)
    services = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = CounsellingSession
        fields = [
            "id",
            "case",
            "started_at",
            "duration_minutes",
            "mode",
            "language",
            "interpreter_name",
            "interpreter_organisation",
            "staff",
            "services",
            "notes",
            "follow_up_on",
            "created_at",
        ]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "case",
            "kind",
            "starts_at",
            "place",
            "notes",
            "done",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class RiskAssessmentSerializer(serializers.ModelSerializer):
    """Expects the `safety_plan_active` and `active_safety_plan` annotations of
    the API's queryset."""

    assessed_by = UserRefSerializer(read_only=True)
    answers = serializers.DictField(child=serializers.BooleanField(), read_only=True)
    safety_plan_active = serializers.BooleanField(
        read_only=True, help_text="Whether the case has an active safety plan now."
    )
    active_safety_plan = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The id of the case's active safety plan."
    )

    class Meta:
        model = RiskAssessment
        fields = [
            "id",
            "case",
            "assessed_at",
            "assessed_by",
            "answers",
            "score",
            "level",
            "follow_up_by",
            "notes",
            "safety_plan_active",
            "active_safety_plan",
        ]
        read_only_fields = fields


class SafetyPlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SafetyPlanItem
        fields = ["id", "action", "responsible", "due_on", "done"]
        read_only_fields = fields


class SafetyPlanReviewSerializer(serializers.ModelSerializer):
    reviewed_by = UserRefSerializer(read_only=True)

    class Meta:
        model = SafetyPlanReview
        fields = ["id", "reviewed_on", "reviewed_by", "note"]
        read_only_fields = fields


class SafetyPlanSerializer(serializers.ModelSerializer):
    created_by = UserRefSerializer(read_only=True)
    items = SafetyPlanItemSerializer(many=True, read_only=True)
    reviews = SafetyPlanReviewSerializer(many=True, read_only=True)

    class Meta:
        model = SafetyPlan
        fields = [
            "id",
            "case",
            "risk_assessment",
            "created_by",
            "created_at",
            "next_review_on",
            "is_active",
            "notes",
            "items",
            "reviews",
        ]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    created_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "organisation",
            "reason",
            "shares_personal_data",
            "consent",
            "consent_override_reason",
            "status",
            "sent_on",
            "responded_on",
            "completed_on",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)
    organisation_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "client",
            "purpose",
            "given",
            "organisation_kinds",
            "decided_on",
            "explanation_language",
            "recorded_by",
            "recorded_at",
            "signed_form",
        ]
        read_only_fields = fields


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
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, document) -> str:
        return reverse("api:document-download", args=[document.pk])


# --- Input ------------------------------------------------------------------------------------


class ClientInputSerializer(serializers.Serializer):
    """Her details, for intake and for changes (PATCH: any subset)."""

    name_original = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_romanised = serializers.CharField(max_length=200, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    estimated_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    nationality = CountryCodeField(required=False, allow_blank=True)
    languages = _language_list(required=False)
    interpreter_needed = serializers.BooleanField(required=False)
    residence_status = serializers.ChoiceField(
        choices=ResidenceStatus.choices, required=False, allow_blank=True, allow_null=True
    )
    visa_expiry = serializers.DateField(required=False, allow_null=True)
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
    birth_date = serializers.DateField(required=False, allow_null=True)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=30)
    lives_with_client = serializers.BooleanField(required=False)
    notes = _text()


class CaseInputSerializer(serializers.Serializer):
    """The details of a case when it is opened."""

    case_types = _choice_list(CaseType.choices, allow_empty=False)
    restricted = serializers.BooleanField(required=False)
    summary = _text()
    opened_on = serializers.DateField(required=False)


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


class DuplicateCheckInputSerializer(serializers.Serializer):
    name_original = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_romanised = serializers.CharField(max_length=200, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


class CaseOpenInputSerializer(CaseInputSerializer):
    """A further case for a woman already registered."""

    client = serializers.IntegerField()
    branch = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Branch.objects.filter(is_active=True),
        required=False,
        help_text="Branch code; defaults to the client's.",
    )
    assigned = serializers.PrimaryKeyRelatedField(
        queryset=_active_staff(), many=True, required=False, help_text="Defaults to you."
    )


class CaseUpdateInputSerializer(serializers.Serializer):
    case_types = _choice_list(CaseType.choices, allow_empty=False, required=False)
    restricted = serializers.BooleanField(required=False)
    summary = _text()


class CaseStatusInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=CaseStatus.choices)
    closed_on = serializers.DateField(required=False, allow_null=True)
    closure_reason = serializers.ChoiceField(
        choices=ClosureReason.choices, required=False, allow_blank=True
    )
    closure_note = _text()


class CaseAssignInputSerializer(serializers.Serializer):
    assigned = serializers.PrimaryKeyRelatedField(
        queryset=_active_staff(), many=True, allow_empty=False
    )


class SessionUpdateInputSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False, min_value=1, max_value=24 * 60)
    mode = serializers.ChoiceField(choices=SessionMode.choices, required=False)
    language = LanguageCodeField(required=False, allow_blank=True)
    interpreter_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    interpreter_organisation = serializers.CharField(
        max_length=150, required=False, allow_blank=True
    )
    services = _choice_list(Service.choices, required=False)
    notes = _text()
    follow_up_on = serializers.DateField(required=False, allow_null=True)


class SessionInputSerializer(SessionUpdateInputSerializer):
    case = serializers.IntegerField()
    mode = serializers.ChoiceField(choices=SessionMode.choices)


class CaseEventUpdateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseEventKind.choices, required=False)
    starts_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = _text()
    done = serializers.BooleanField(required=False)


class CaseEventInputSerializer(CaseEventUpdateInputSerializer):
    case = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CaseEventKind.choices)
    starts_at = serializers.DateTimeField()


class RiskAssessmentInputSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    answers = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Indicator name -> yes/no; indicators left out count as no.",
    )
    notes = _text()


class SafetyPlanItemInputSerializer(serializers.Serializer):
    action = serializers.CharField()
    responsible = serializers.CharField(max_length=150)
    due_on = serializers.DateField(required=False, allow_null=True)


class SafetyPlanInputSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    items = SafetyPlanItemInputSerializer(many=True, required=False)
    next_review_on = serializers.DateField(required=False, allow_null=True)
    notes = _text()


class SafetyPlanItemDoneInputSerializer(serializers.Serializer):
    done = serializers.BooleanField(default=True)


class SafetyPlanReviewInputSerializer(serializers.Serializer):
    note = _text()
    next_review_on = serializers.DateField(required=False, allow_null=True)


class ReferralInputSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    reason = _text()
    shares_personal_data = serializers.BooleanField(default=True)
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Why her data must be shared without her consent (audited).",
    )
    sent_on = serializers.DateField(required=False)


class ReferralStatusInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ReferralStatus.choices)
    on = serializers.DateField(required=False, help_text="Defaults to today.")


class ConsentInputSerializer(serializers.Serializer):
    """A decision. A withdrawal is a new decision with given=false."""

    client = serializers.IntegerField()
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    given = serializers.BooleanField()
    explanation_language = LanguageCodeField()
    organisation_kinds = _choice_list(
        [(kind, kind) for kind in REFERRAL_ORGANISATION_KINDS], required=False
    )
    decided_on = serializers.DateField(required=False)
    signed_form = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of one of her documents."
    )


class DocumentInputSerializer(serializers.Serializer):
    """Attach a file to a client, one of her cases, or a session."""

    file = serializers.FileField(help_text="PDF, image or Office file.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    client = serializers.IntegerField(required=False)
    case = serializers.IntegerField(required=False)
    session = serializers.IntegerField(required=False)

    def validate(self, attrs):
        if not any(attrs.get(name) for name in ("client", "case", "session")):
            raise serializers.ValidationError(
                {"client": _("Say which client, case or session the file belongs to.")}
            )
        return attrs
