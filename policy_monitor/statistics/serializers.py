"""Explicit input and output serializers of the statistics API. The output
holds the stored aggregates only: category codes, and figures that are counts
or one of the two marks ("<k", "x"; marks.py), as on screen and in files."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ngo.access.fields import BoundedDateField
from ngo.accounts.models import Branch
from ngo.lib.progress import Stage
from policy_monitor.statistics.exports import small
from policy_monitor.statistics.marks import shown
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


FIGURE_DESCRIPTION = (
    'A count, or a mark instead of it: "<k" (k the minimum cell size, e.g. "<5"): a count '
    'from 1 to k-1, withheld; "x": withheld so that another withheld count cannot be '
    "worked out."
)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": "^(<[0-9]+|x)$"},
        ],
        "description": FIGURE_DESCRIPTION,
    }
)
class FigureField(serializers.Field):
    """A published figure: an int, "<k" or "x" (None in older data is "x")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", FIGURE_DESCRIPTION)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return shown(value, 0)


class TableSerializer(serializers.Serializer):
    row_codes = serializers.ListField(child=serializers.CharField())
    column_codes = serializers.ListField(child=serializers.CharField())
    cells = serializers.ListField(child=serializers.ListField(child=FigureField()))
    row_totals = serializers.ListField(child=FigureField())
    column_totals = serializers.ListField(child=FigureField())
    total = FigureField()
    additive = serializers.BooleanField()
    suppressed = serializers.IntegerField()


def _marked(table: dict) -> dict:
    """A stored table with None (older data) given as "x", as every format shows it."""

    def figures(values):
        return [shown(value, 0) for value in values or []]

    return {
        **table,
        "cells": [figures(row) for row in table.get("cells") or []],
        "row_totals": figures(table.get("row_totals")),
        "column_totals": figures(table.get("column_totals")),
        "total": shown(table.get("total"), 0),
    }


class ProgressSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    percent = serializers.IntegerField(min_value=0, max_value=100)


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
    progress = serializers.SerializerMethodField(
        help_text=_("Where the generation is (while queued), or where the last one ended.")
    )
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
            "progress",
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
        if not dataset.has_tables or dataset.pk in self.context.get("unreleased", ()):
            return {}
        return {measure: _marked(table) for measure, table in (dataset.tables or {}).items()}

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, dataset) -> dict:
        return {"stage": dataset.progress_stage, "percent": dataset.progress_percent}
