"""Forms of the policy screens. They check shape; policy_monitor.services checks
the rules and its ValidationErrors are shown on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo import access
from ngo.accounts.models import User
from ngo.directory.models import Organisation, OrganisationKind
from ngo.lib.forms import StyledFormMixin, VersionedForm
from policy_monitor import services
from policy_monitor.models import (
    Assessment,
    Cluster,
    ImplementationStatus,
    MonitoringNote,
    Policy,
    PolicyEvent,
    PolicyKind,
    Recommendation,
    Review,
    Submission,
    Term,
    Vocabulary,
)
from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _government():
    return Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT, is_active=True)


def _dates(*names):
    return dict.fromkeys(names, DATE)


class RecordForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    """A ModelForm that only collects values: the service saves them. An edit
    also gives the version it was filled from (`expected_version`)."""

    m2m: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "datasets" in self.fields:
            # The datasets the writer may read; the service checks the link again.
            readable = StatisticsDataset.objects.order_by("-period_to", "title")
            self.fields["datasets"].queryset = (
                access.scope(user, readable) if user is not None else readable.none()
            )
            self.fields["datasets"].help_text = _(
                "The released tables this record cites or is measured by (the evidence chain)."
            )

    def values(self) -> dict:
        values = dict(self.cleaned_data)
        version = values.pop("version", None)
        if self.instance.pk is not None:
            values["expected_version"] = version
        return values

    def _post_clean(self):
        # Model validation (constraints across fields) is the service's job.
        pass


class PolicyForm(RecordForm):
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Policy
        fields = list(services.POLICY_FIELDS)
        widgets = _dates("proposed_on", "enacted_on", "in_force_on", "ends_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_body"].queryset = _government()


class PolicyEventForm(RecordForm):
    class Meta:
        model = PolicyEvent
        fields = [*services.EVENT_FIELDS, *services.EVENT_M2M]
        widgets = _dates("happens_on", "deadline")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations_present"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["participants"].queryset = User.objects.filter(is_active=True).only(
            "id", "full_name", "email"
        )


class MonitoringNoteForm(RecordForm):
    class Meta:
        model = MonitoringNote
        fields = list(services.NOTE_FIELDS)
        widgets = _dates("noted_on")


class ReviewForm(RecordForm):
    class Meta:
        model = Review
        fields = list(services.REVIEW_FIELDS)
        widgets = _dates(
            "list_of_issues_on",
            "ngo_deadline",
            "dialogue_on",
            "concluding_observations_on",
            "follow_up_deadline",
        )


class SubmissionForm(RecordForm):
    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_(".docx or .txt files are word-counted against the limit."),
    )

    class Meta:
        model = Submission
        fields = [*services.SUBMISSION_FIELDS, *services.SUBMISSION_M2M]
        widgets = _dates("submitted_on", "due_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_body"].queryset = _government()
        active = Organisation.objects.filter(is_active=True)
        self.fields["lead_organisation"].queryset = active
        self.fields["co_signers"].queryset = active
        self.fields["review"].queryset = Review.objects.select_related("mechanism")


class RecommendationForm(RecordForm):
    recommending_states = forms.CharField(
        label=_("recommending States (UPR)"),
        required=False,
        help_text=_("One a line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Recommendation
        fields = [*services.RECOMMENDATION_FIELDS, *services.RECOMMENDATION_M2M, "datasets"]
        widgets = {**_dates("issued_on"), "text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Policy.objects.filter(kind=PolicyKind.NATIONAL_ACTION_PLAN)
        self.fields["review"].queryset = Review.objects.select_related("mechanism")
        self.fields["themes"].queryset = Term.objects.filter(vocabulary=Vocabulary.THEME)
        self.fields["affected_persons"].queryset = Term.objects.filter(
            vocabulary=Vocabulary.AFFECTED_PERSONS
        )
        if self.instance.pk:
            self.initial["recommending_states"] = "\n".join(self.instance.recommending_states)

    def clean_recommending_states(self):
        return [
            s.strip() for s in self.cleaned_data["recommending_states"].splitlines() if s.strip()
        ]


class AssessmentForm(StyledFormMixin, forms.ModelForm):
    status = forms.ChoiceField(label=_("status"), choices=ImplementationStatus.choices)

    class Meta:
        model = Assessment
        fields = ["assessed_on", "status", "evidence", *services.ASSESSMENT_LINKS]
        widgets = {**_dates("assessed_on"), "evidence": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy_events"].queryset = PolicyEvent.objects.select_related("policy")
        self.fields["submissions"].queryset = Submission.objects.all()
        # Only datasets with figures in them can back an assessment.
        self.fields["datasets"].queryset = StatisticsDataset.objects.filter(
            status__in=[DatasetStatus.GENERATED, DatasetStatus.PUBLISHED]
        )

    def _post_clean(self):
        pass


class ClusterForm(RecordForm):
    class Meta:
        model = Cluster
        fields = list(services.CLUSTER_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("UHRI export (.xlsx or .csv)"),
        help_text=_('The file from UHRI\'s "Export to Excel", or the same as CSV.'),
    )
