from django import forms
from django.utils.translation import gettext_lazy as _

from counselling.incidents.models import MAX_PERPETRATORS, Incident, RemovalReason
from ngo.lib.forms import StyledFormMixin, VersionedForm

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IncidentForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    class Meta:
        model = Incident
        fields = [
            "violence_type",
            "occurred_on",
            "date_approximate",
            "place",
            "perpetrator",
            "broker_involved",
            "perpetrator_count",
            "reported_to_police",
            "description",
        ]
        widgets = {
            "occurred_on": _DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "violence_type": {
                "required": _("Choose the type of violence."),
                "invalid_choice": _("Choose one of the six GBVIMS types of violence."),
            },
            "occurred_on": {
                "required": _("Enter the date of the incident (tick approximate if unsure)."),
                "invalid": _("Enter the date as YYYY-MM-DD, e.g. 2026-03-14."),
            },
            "place": {"required": _("Choose the kind of place.")},
            "perpetrator": {"required": _("Choose the perpetrator's relationship to her.")},
        }

    def setup_fields(self) -> None:
        count = self.fields["perpetrator_count"]
        count.min_value, count.max_value = 1, MAX_PERPETRATORS
        count.widget.attrs.update(min=1, max=MAX_PERPETRATORS)
        count.error_messages["invalid"] = _("Enter the number of perpetrators, from 1 to 99.")
        for validator in count.validators:
            validator.message = _("The number of perpetrators is from 1 to 99.")
        self.fields["description"].required = False


class IncidentDeleteForm(StyledFormMixin, VersionedForm, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the incident deleted?"),
        choices=[("", "---------"), *RemovalReason.choices],
        error_messages={
            "required": _("Say why the incident is deleted."),
            "invalid_choice": _("Choose one of the reasons listed."),
        },
    )
