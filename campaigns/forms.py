"""Forms of the campaigns screens (the directory's are in ngo.directory.forms).
They validate shapes; the views pass cleaned data to the services, which apply
the rules and save. Edit forms are bound to a copy of the record, so that the
service still sees what changed."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.models import (
    Campaign,
    CampaignAction,
    CampaignTask,
    Coalition,
    Demand,
    Membership,
    SignOn,
)
from ngo.accounts.models import User
from ngo.directory.models import Organisation
from ngo.lib.forms import StyledFormMixin, VersionedForm
from policy_monitor.models import Recommendation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.country.code}"


class OrganisationMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.country.code}"


def _organisations():
    return Organisation.objects.filter(is_active=True).order_by("name_ko", "name_en")


class CampaignForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    lead_organisation = OrganisationChoiceField(
        label=_("lead organisation"), queryset=_organisations(), required=False
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "goal",
            "campaign_type",
            "status",
            "coalition",
            "lead_organisation",
            "starts_on",
            "ends_on",
            "outcome",
            "outcome_on",
        ]
        widgets = {
            "goal": _textarea(3),
            "outcome": _textarea(3),
            "starts_on": DATE,
            "ends_on": DATE,
            "outcome_on": DATE,
        }

    def setup_fields(self):
        self.fields["coalition"].queryset = Coalition.objects.filter(is_active=True)
        self.fields["lead_organisation"].queryset = _organisations()


class DemandForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    addressed_to = OrganisationChoiceField(
        label=_("addressed to"), queryset=Organisation.objects.none()
    )

    class Meta:
        model = Demand
        fields = ["text", "addressed_to", "policy", "recommendations", "response", "position"]
        widgets = {"text": _textarea(3), "response": _textarea(2)}

    def setup_fields(self):
        # Authorities (ministries, the National Assembly, UN bodies) first.
        self.fields["addressed_to"].queryset = _organisations().order_by(
            "-authority_type", "name_ko", "name_en"
        )
        self.fields["addressed_to"].help_text = _(
            "A ministry, the National Assembly, a local government or a UN body of the directory."
        )
        self.fields["policy"].help_text = _("Optional: the law or plan this demand is about.")
        self.fields["recommendations"].queryset = Recommendation.objects.select_related(
            "mechanism", "plan"
        )
        self.fields["recommendations"].help_text = _(
            "Optional: the UN recommendations or plan commitments this demand presses for."
        )


class LinksField(forms.CharField):
    """One web address a line."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ActionForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    organisations = OrganisationMultipleChoiceField(
        label=_("organisations involved"), queryset=Organisation.objects.none(), required=False
    )
    links = LinksField(label=_("links"), required=False, help_text=_("One web address a line."))

    class Meta:
        model = CampaignAction
        fields = [
            "action_type",
            "title",
            "occurred_on",
            "place",
            "organisations",
            "participants",
            "links",
            "follow_up",
        ]
        widgets = {"occurred_on": DATE, "follow_up": _textarea(3)}

    def setup_fields(self):
        self.fields["organisations"].queryset = _organisations()
        self.fields["organisations"].widget.attrs["size"] = 8


class ActionFileForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    file = forms.FileField(label=_("file"))

    def setup_fields(self):
        self.fields["file"].help_text = _(
            "PDF, image, Office or Hangul document; at most %(mb)d MB."
        ) % {"mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}


class SignOnForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    addressed_to = OrganisationChoiceField(
        label=_("addressed to"), queryset=Organisation.objects.none(), required=False
    )

    class Meta:
        model = SignOn
        fields = ["kind", "title", "text", "deadline", "individual_signatures", "addressed_to"]
        widgets = {"text": _textarea(6), "deadline": DATE}

    def setup_fields(self):
        self.fields["addressed_to"].queryset = _organisations()


class SignatoryForm(StyledFormMixin, forms.Form):
    organisation = OrganisationChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )
    signed_on = forms.DateField(label=_("signed on"), required=False, widget=DATE)

    def __init__(self, *args, sign_on: SignOn, **kwargs):
        self.sign_on = sign_on
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["organisation"].queryset = _organisations().exclude(
            signatures__sign_on=self.sign_on
        )


class TaskForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    class Meta:
        model = CampaignTask
        fields = ["title", "assignee", "due_on"]
        widgets = {"due_on": DATE}

    def setup_fields(self):
        self.fields["assignee"].queryset = User.objects.filter(is_active=True).order_by("full_name")
        self.fields["assignee"].label_from_instance = lambda user: user.full_name


class CoalitionForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    class Meta:
        model = Coalition
        fields = ["name_ko", "name_en", "purpose", "founded_on", "centre_role", "is_active"]
        widgets = {"purpose": _textarea(3), "founded_on": DATE}


class MembershipForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    organisation = OrganisationChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )

    class Meta:
        model = Membership
        fields = ["organisation", "role", "joined_on", "left_on", "notes"]
        widgets = {"joined_on": DATE, "left_on": DATE, "notes": _textarea(2)}

    def setup_fields(self):
        self.fields["organisation"].queryset = _organisations()


class MembershipEndForm(StyledFormMixin, forms.Form):
    left_on = forms.DateField(label=_("left on"), widget=DATE)
