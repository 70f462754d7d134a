"""REST representations of policy records: output serializers say what a reader
sees, input serializers what a writer may send (shape and vocabulary only; the
rules live in policy_monitor.services)."""

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ngo.access.fields import BoundedDateField, BoundedDateTimeField
from ngo.directory.models import Organisation, OrganisationKind
from ngo.directory.serializers import CountryCodeField, OrganisationRefSerializer
from policy_monitor import evidence_serializers as ev
from policy_monitor import services
from policy_monitor.models import (
    Assessment,
    Cluster,
    ImportJob,
    Mechanism,
    MonitoringNote,
    Policy,
    PolicyEvent,
    PolicyKind,
    Recommendation,
    Review,
    SdgTarget,
    Submission,
    Term,
    Vocabulary,
    WordLimit,
)

GOVERNMENT_BODIES = Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT)


class InputSerializer(serializers.ModelSerializer):
    """Model-shaped input without the model's uniqueness validators: the
    services validate the whole record (and answer in the one error format)."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: BoundedDateField,
        models.DateTimeField: BoundedDateTimeField,
    }

    def get_validators(self):
        return []


# --- Laws, policies, plans ------------------------------------------------------------------


class PolicySerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    responsible_body = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Policy
        fields = ["id", "version", "title", *services.POLICY_FIELDS, "created_at", "updated_at"]
        read_only_fields = fields


class PolicyInputSerializer(InputSerializer):
    responsible_body = serializers.PrimaryKeyRelatedField(
        queryset=GOVERNMENT_BODIES, required=False, allow_null=True
    )

    class Meta:
        model = Policy
        fields = list(services.POLICY_FIELDS)


class PolicyUserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class PolicyEventSerializer(serializers.ModelSerializer):
    organisations_present = OrganisationRefSerializer(many=True, read_only=True)
    participants = PolicyUserRefSerializer(many=True, read_only=True)

    class Meta:
        model = PolicyEvent
        fields = [
            "id",
            "version",
            "policy",
            *services.EVENT_FIELDS,
            *services.EVENT_M2M,
            "created_at",
        ]
        read_only_fields = fields


class PolicyEventInputSerializer(InputSerializer):
    class Meta:
        model = PolicyEvent
        fields = ["policy", *services.EVENT_FIELDS, *services.EVENT_M2M]


class MonitoringNoteSerializer(serializers.ModelSerializer):
    created_by = PolicyUserRefSerializer(read_only=True)

    class Meta:
        model = MonitoringNote
        fields = ["id", "version", "policy", *services.NOTE_FIELDS, "created_by", "created_at"]
        read_only_fields = fields


class MonitoringNoteInputSerializer(InputSerializer):
    class Meta:
        model = MonitoringNote
        fields = ["policy", *services.NOTE_FIELDS]


# --- Mechanisms and reviews -------------------------------------------------------------------


class MechanismSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mechanism
        fields = ["id", "code", "kind", "name_ko", "name_en", "aliases"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    mechanism_code = serializers.CharField(source="mechanism.code", read_only=True)
    state = serializers.CharField(source="state.code", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "version", *services.REVIEW_FIELDS, "mechanism_code", "created_at"]
        read_only_fields = fields


class ReviewInputSerializer(InputSerializer):
    state = CountryCodeField(required=False)

    class Meta:
        model = Review
        fields = list(services.REVIEW_FIELDS)


# --- Submissions ---------------------------------------------------------------------------------


class SubmissionSerializer(serializers.ModelSerializer):
    addressed_body = OrganisationRefSerializer(read_only=True)
    lead_organisation = OrganisationRefSerializer(read_only=True)
    co_signers = OrganisationRefSerializer(many=True, read_only=True)
    joint = serializers.BooleanField(source="is_joint", read_only=True)
    word_limit = serializers.SerializerMethodField()
    word_warning = serializers.SerializerMethodField()
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "version",
            *services.SUBMISSION_FIELDS,
            "co_signers",
            "joint",
            "file_name",
            "file_size",
            "has_file",
            "word_count",
            "word_limit",
            "word_warning",
            "created_at",
        ]
        read_only_fields = fields

    def _check(self, obj) -> services.WordCheck:
        limits = self.context.get("word_limits")
        return services.WordCheck(
            words=obj.word_count, limit=services.word_limit_for(obj, limits=limits)
        )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_word_limit(self, obj):
        return self._check(obj).limit

    @extend_schema_field(serializers.CharField())
    def get_word_warning(self, obj) -> str:
        return self._check(obj).message

    def get_has_file(self, obj) -> bool:
        return bool(obj.file_storage_name)


class SubmissionInputSerializer(InputSerializer):
    addressed_body = serializers.PrimaryKeyRelatedField(
        queryset=GOVERNMENT_BODIES, required=False, allow_null=True
    )
    file = serializers.FileField(required=False, write_only=True)

    class Meta:
        model = Submission
        fields = [*services.SUBMISSION_FIELDS, *services.SUBMISSION_M2M, "file"]


class WordLimitSerializer(serializers.ModelSerializer):
    class Meta:
        model = WordLimit
        fields = ["id", *services.WORD_LIMIT_FIELDS]
        read_only_fields = fields


class WordLimitInputSerializer(InputSerializer):
    class Meta:
        model = WordLimit
        fields = list(services.WORD_LIMIT_FIELDS)


# --- Thesauri ------------------------------------------------------------------------------------


class TermSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Term
        fields = ["id", "vocabulary", "label", "label_en", "label_ko", "parent"]
        read_only_fields = fields


class TermInputSerializer(InputSerializer):
    vocabulary = serializers.ChoiceField(choices=Vocabulary.choices)

    class Meta:
        model = Term
        fields = list(services.TERM_FIELDS)


class SdgTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = SdgTarget
        fields = ["id", "code", "goal", "label"]
        read_only_fields = fields


class ClusterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cluster
        fields = ["id", "version", *services.CLUSTER_FIELDS, "created_at"]
        read_only_fields = fields


class ClusterInputSerializer(InputSerializer):
    class Meta:
        model = Cluster
        fields = list(services.CLUSTER_FIELDS)


# --- Recommendations and assessments -----------------------------------------------------------


class TermRefSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Term
        fields = ["id", "label", "label_en"]
        read_only_fields = fields


class RecommendationSerializer(serializers.ModelSerializer):
    mechanism_code = serializers.CharField(
        source="mechanism.code", read_only=True, allow_null=True, default=None
    )
    themes = TermRefSerializer(many=True, read_only=True)
    affected_persons = TermRefSerializer(many=True, read_only=True)
    sdg_targets = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "version",
            "source",
            "mechanism",
            "mechanism_code",
            "plan",
            "review",
            "text",
            "document_symbol",
            "paragraph",
            "paragraph_unparsed",
            "issued_on",
            "themes",
            "affected_persons",
            "sdg_targets",
            "recommending_states",
            "position",
            "cluster",
            "document_type",
            "upr_session",
            "countries_concerned",
            "uhri_annotation_id",
            "current_status",
            "current_status_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RecommendationInputSerializer(InputSerializer):
    plan = serializers.PrimaryKeyRelatedField(
        queryset=Policy.objects.filter(kind=PolicyKind.NATIONAL_ACTION_PLAN),
        required=False,
        allow_null=True,
    )
    themes = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Term.objects.filter(vocabulary=Vocabulary.THEME)
    )
    affected_persons = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=Term.objects.filter(vocabulary=Vocabulary.AFFECTED_PERSONS),
    )
    recommending_states = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False
    )

    class Meta:
        model = Recommendation
        fields = [*services.RECOMMENDATION_FIELDS, *services.RECOMMENDATION_M2M, "datasets"]


class AssessmentSerializer(serializers.ModelSerializer):
    assessor = PolicyUserRefSerializer(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "recommendation",
            "assessed_on",
            "status",
            "assessor",
            "evidence",
            *services.ASSESSMENT_LINKS,
            "created_at",
        ]
        read_only_fields = fields


class AssessmentInputSerializer(InputSerializer):
    class Meta:
        model = Assessment
        fields = ["recommendation", "assessed_on", "status", "evidence", *services.ASSESSMENT_LINKS]
        extra_kwargs = {"evidence": {"allow_blank": False}}


# --- Imports ---------------------------------------------------------------------------


class ImportJobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "file_name",
            "status",
            "total_rows",
            "processed_rows",
            "percent",
            "created_count",
            "updated_count",
            "unchanged_count",
            "refused_count",
            "report",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportJobInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The UHRI 'Export to Excel' file, .xlsx or .csv.")


# --- Detail answers with the evidence chain (policy_monitor.evidence_serializers) -----


class PolicyDetailSerializer(ev.EvidenceMixin, PolicySerializer):
    class Meta(PolicySerializer.Meta):
        fields = [*PolicySerializer.Meta.fields, "evidence"]
        read_only_fields = fields

    def chain(self, user, obj):
        return ev.policy_evidence(user, obj)


class SubmissionDetailSerializer(ev.EvidenceMixin, SubmissionSerializer):
    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "evidence"]
        read_only_fields = fields

    def chain(self, user, obj):
        return ev.submission_evidence(user, obj)


class RecommendationDetailSerializer(ev.EvidenceMixin, RecommendationSerializer):
    class Meta(RecommendationSerializer.Meta):
        fields = [*RecommendationSerializer.Meta.fields, "evidence"]
        read_only_fields = fields

    def chain(self, user, obj):
        return ev.recommendation_evidence(user, obj)
