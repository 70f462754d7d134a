"""Filters shared by the list screens and the API."""

import django_filters
from django import forms
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ngo.directory.models import Organisation
from ngo.lib.filters import IdFilter, RecordsFilter, YearFilter
from ngo.lib.forms import style_widgets
from policy_monitor.models import (
    Assessment,
    ImplementationStatus,
    ImportJob,
    Mechanism,
    MechanismKind,
    MonitoringNote,
    Policy,
    PolicyEvent,
    PolicyEventKind,
    PolicyKind,
    PolicyStatus,
    Position,
    Recommendation,
    Review,
    Source,
    Submission,
    SubmissionKind,
    SubmissionStatus,
    Term,
    Vocabulary,
    WordLimit,
)


def _date():
    return forms.DateInput(attrs={"type": "date"})


class StyledFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_widgets(form)
            form._styled = True
        return form


def recommendation_search(queryset, value: str):
    """Full text on PostgreSQL (the "simple" configuration, which suits Korean
    and English alike), substring matching elsewhere; the symbol always by substring."""
    value = value.strip()
    if not value:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        matches = queryset.annotate(
            search=SearchVector("text", "document_symbol", config="simple")
        ).filter(
            Q(search=SearchQuery(value, config="simple", search_type="websearch"))
            | Q(document_symbol__icontains=value)
        )
        return queryset.filter(pk__in=matches.values("pk"))
    q = Q(document_symbol__icontains=value)
    words = value.split()
    text_q = Q()
    for word in words:
        text_q &= Q(text__icontains=word)
    return queryset.filter(q | text_q)


class RecommendationFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("search"))
    source = django_filters.ChoiceFilter(choices=Source.choices, label=_("source"))
    mechanism = django_filters.ModelChoiceFilter(
        queryset=Mechanism.objects.all(), label=_("mechanism")
    )
    theme = RecordsFilter(
        field_name="themes",
        queryset=Term.objects.filter(vocabulary=Vocabulary.THEME),
        label=_("theme"),
    )
    affected_persons = RecordsFilter(
        field_name="affected_persons",
        queryset=Term.objects.filter(vocabulary=Vocabulary.AFFECTED_PERSONS),
        label=_("affected persons"),
    )
    status = django_filters.MultipleChoiceFilter(
        field_name="current_status",
        choices=ImplementationStatus.choices,
        label=_("status"),
        distinct=False,
    )
    position = django_filters.ChoiceFilter(choices=Position.choices, label=_("position"))
    year = YearFilter(field_name="issued_on", label=_("year"))
    sdg = django_filters.CharFilter(method="filter_sdg", label=_("SDG goal or target"))
    review = IdFilter(field_name="review_id", label=_("review"))
    plan = IdFilter(field_name="plan_id", label=_("plan"))
    cluster = IdFilter(field_name="cluster_id", label=_("cluster"))
    document_symbol = django_filters.CharFilter(lookup_expr="icontains", label=_("document symbol"))
    paragraph_unparsed = django_filters.BooleanFilter(label=_("paragraph not recognised"))

    class Meta:
        model = Recommendation
        fields = []

    def filter_q(self, queryset, name, value):
        return recommendation_search(queryset, value)

    def filter_sdg(self, queryset, name, value):
        value = value.strip()
        if "." in value:
            return queryset.filter(sdg_targets__code=value)
        if value.isdigit():
            return queryset.filter(sdg_targets__goal=int(value))
        return queryset.none()

    @property
    def qs(self):
        queryset = super().qs
        joined = any(self.form.cleaned_data.get(n) for n in ("theme", "affected_persons", "sdg"))
        return queryset.distinct() if joined else queryset


class PolicyFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("title or number"))
    kind = django_filters.ChoiceFilter(choices=PolicyKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=PolicyStatus.choices, label=_("status"))
    responsible_body = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind="government"), label=_("responsible body")
    )

    class Meta:
        model = Policy
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title_ko__icontains=value) | Q(title_en__icontains=value) | Q(number__icontains=value)
        )


class PolicyEventFilter(StyledFilterSet):
    policy = IdFilter(field_name="policy_id")
    kind = django_filters.ChoiceFilter(choices=PolicyEventKind.choices)
    happens_after = django_filters.DateFilter(field_name="happens_on", lookup_expr="gte")
    happens_before = django_filters.DateFilter(field_name="happens_on", lookup_expr="lte")
    deadline_after = django_filters.DateFilter(field_name="deadline", lookup_expr="gte")
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte")

    class Meta:
        model = PolicyEvent
        fields = []


class MonitoringNoteFilter(StyledFilterSet):
    policy = IdFilter(field_name="policy_id")

    class Meta:
        model = MonitoringNote
        fields = []


class MechanismFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(choices=MechanismKind.choices)

    class Meta:
        model = Mechanism
        fields = []


class ReviewFilter(StyledFilterSet):
    mechanism = django_filters.ModelChoiceFilter(queryset=Mechanism.objects.all())
    state = django_filters.CharFilter()
    deadline_after = django_filters.DateFilter(field_name="ngo_deadline", lookup_expr="gte")
    deadline_before = django_filters.DateFilter(field_name="ngo_deadline", lookup_expr="lte")

    class Meta:
        model = Review
        fields = []


class SubmissionFilter(StyledFilterSet):
    kind = django_filters.ChoiceFilter(choices=SubmissionKind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=SubmissionStatus.choices, label=_("status"))
    review = IdFilter(field_name="review_id", label=_("review"))
    policy = IdFilter(field_name="policy_id", label=_("law or policy"))
    addressed_body = IdFilter(field_name="addressed_body_id")
    lead_organisation = IdFilter(field_name="lead_organisation_id")
    co_signer = IdFilter(method="filter_co_signer")
    year = YearFilter(field_name="submitted_on", label=_("year"))

    class Meta:
        model = Submission
        fields = []

    def filter_co_signer(self, queryset, name, value):
        return queryset.filter(
            pk__in=Submission.co_signers.through.objects.filter(organisation_id=value).values(
                "submission_id"
            )
        )


class AssessmentFilter(StyledFilterSet):
    recommendation = IdFilter(field_name="recommendation_id")
    status = django_filters.ChoiceFilter(choices=ImplementationStatus.choices)
    assessor = IdFilter(field_name="assessor_id")
    assessed_after = django_filters.DateFilter(field_name="assessed_on", lookup_expr="gte")
    assessed_before = django_filters.DateFilter(field_name="assessed_on", lookup_expr="lte")

    class Meta:
        model = Assessment
        fields = []


class TermFilter(StyledFilterSet):
    vocabulary = django_filters.ChoiceFilter(choices=Vocabulary.choices)
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Term
        fields = []

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(label_en__icontains=value) | Q(label_ko__icontains=value))


class WordLimitFilter(StyledFilterSet):
    mechanism = IdFilter(field_name="mechanism_id")
    kind = django_filters.ChoiceFilter(choices=SubmissionKind.choices)

    class Meta:
        model = WordLimit
        fields = []


class ImportJobFilter(StyledFilterSet):
    status = django_filters.CharFilter()

    class Meta:
        model = ImportJob
        fields = []
