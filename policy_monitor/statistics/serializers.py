"""Explicit input and output serializers of the statistics API. The output
holds the stored aggregates only: category codes, counts, null for a withheld
figure (shown as "<k" on screen and in files)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ngo.access.fields import BoundedDateField
from ngo.accounts.models import Branch
from policy_monitor.statistics.exports import small
from policy_monitor.statistics.models import DatasetStatus, Measure, PeriodBasis, StatisticsDataset
from policy_monitor.statistics.tabulation import (
    DEFAULT_CELL_SIZE,
    DIMENSIONS,
    MAX_DIMENSIONS,
    MIN_CELL_SIZE,
)


class DatasetInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=300, required=False, allow_blank=True)
    period_from = BoundedDateField(help_text=_("Any day of the first month."))
    period_to = BoundedDateField(help_text=_("Any day of the last month."))
    period_basis = serializers.ChoiceField(choices=PeriodBasis.choices, default=PeriodBasis.SERVED)
    branches = serializers.PrimaryKeyRelatedField(
        queryset=Branch.objects.all(), many=True, required=False
    )
    dimensions = serializers.ListField(
        child=serializers.ChoiceField(choices=list(DIMENSIONS)),
        min_length=1,
        max_length=MAX_DIMENSIONS,
    )
    measures = serializers.ListField(
        child=serializers.ChoiceField(choices=Measure.choices), min_length=1
    )
    min_cell_size = serializers.IntegerField(
        min_value=MIN_CELL_SIZE, max_value=50, default=DEFAULT_CELL_SIZE
    )

    def validate(self, attrs):
        if attrs["period_to"] < attrs["period_from"]:
            raise serializers.ValidationError(
                {"period_to": _("The period must end after it starts.")}
            )
        return attrs


class TableSerializer(serializers.Serializer):
    row_codes = serializers.ListField(child=serializers.CharField())
    column_codes = serializers.ListField(child=serializers.CharField())
    cells = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(allow_null=True))
    )
    row_totals = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    column_totals = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    total = serializers.IntegerField(allow_null=True)
    additive = serializers.BooleanField()
    suppressed = serializers.IntegerField()


class DatasetLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()


class DatasetEvidenceSerializer(serializers.Serializer):
    submissions = DatasetLinkSerializer(many=True)
    recommendations = DatasetLinkSerializer(many=True)


def _evidence_of(dataset) -> dict:
    """The submissions and recommendations citing the dataset that the reader
    may see: only what the selectors prefetched, scoped to her."""
    prefetched = getattr(dataset, "_prefetched_objects_cache", {})
    names = {"submissions": "api:submission-detail", "recommendations": "api:recommendation-detail"}
    return {
        kind: [
            {"id": obj.pk, "title": str(obj), "url": reverse(name, args=[obj.pk])}
            for obj in prefetched.get(kind, ())
        ]
        for kind, name in names.items()
    }


class DatasetSerializer(serializers.ModelSerializer):
    branches = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    status = serializers.ChoiceField(choices=DatasetStatus.choices, read_only=True)
    period_basis = serializers.ChoiceField(choices=PeriodBasis.choices, read_only=True)
    excluded_clients = serializers.SerializerMethodField(
        help_text=_("Women without consent to statistics, left out ('<k' when 1 to k-1).")
    )
    tables = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField(
        help_text=_("The submissions and recommendations citing this dataset that you may read.")
    )

    class Meta:
        model = StatisticsDataset
        fields = [
            "id",
            "title",
            "purpose",
            "period_from",
            "period_to",
            "period_basis",
            "branches",
            "dimensions",
            "measures",
            "min_cell_size",
            "status",
            "created_at",
            "generated_at",
            "published_at",
            "excluded_clients",
            "tables",
            "evidence",
        ]
        read_only_fields = fields

    def get_excluded_clients(self, dataset) -> str:
        return str(small(dataset.excluded_clients, dataset.min_cell_size))

    @extend_schema_field(DatasetEvidenceSerializer)
    def get_evidence(self, dataset):
        return _evidence_of(dataset)

    @extend_schema_field(serializers.DictField(child=TableSerializer()))
    def get_tables(self, dataset):
        return dataset.tables if dataset.has_tables else {}
