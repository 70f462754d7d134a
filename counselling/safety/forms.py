"""The form of her safe-contact rules (the client page's "Safety" screen)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counselling.forms import Form
from counselling.safety.models import Channel, SafetyRecord, Weekday
from counselling.safety.services import FIELDS
from ngo import access
from ngo.directory.models import Organisation
from ngo.lib.forms import ShortLabelChoiceField, VersionedForm

_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OrganisationNameField(ShortLabelChoiceField):
    label_columns = ("name_ko", "name_en")


class SafetyForm(VersionedForm, Form):
    allowed_channels = forms.MultipleChoiceField(
        label=_("contact allowed by"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    forbidden_channels = forms.MultipleChoiceField(
        label=_("never contact by"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_person = forms.CharField(
        label=_("named contact person"),
        max_length=200,
        required=False,
        help_text=_("Who passes messages to her, if that channel is allowed."),
    )
    safe_from = forms.TimeField(label=_("safe from"), required=False, widget=_TIME)
    safe_until = forms.TimeField(
        label=_("safe until"),
        required=False,
        widget=_TIME,
        help_text=_("Seoul time. Hours may run past midnight (22:00 to 06:00)."),
    )
    safe_days = forms.TypedMultipleChoiceField(
        label=_("safe days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day."),
    )
    who_must_not_know = forms.CharField(
        label=_("who must not know"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    code_word = forms.CharField(
        label=_("code word"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to keep the code word as it is."),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    clear_code_word = forms.BooleanField(label=_("remove the code word"), required=False)
    immediate_danger = forms.BooleanField(label=_("immediate danger"), required=False)
    child_protection = forms.BooleanField(label=_("child protection concern"), required=False)
    perpetrator_is_partner_staff = forms.BooleanField(
        label=_("perpetrator works at a partner organisation"), required=False
    )
    perpetrator_organisation = OrganisationNameField(
        label=_("perpetrator's organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Optional. A referral to it then shows a warning."),
    )
    perpetrator_has_address = forms.BooleanField(
        label=_("perpetrator has her address"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["perpetrator_organisation"].queryset = access.scope(
            self.user, Organisation.objects.filter(is_active=True)
        ).order_by("name_en", "pk")

    @classmethod
    def initial_for(cls, record: SafetyRecord | None) -> dict:
        if record is None:
            return {}
        initial = {name: getattr(record, name) for name in FIELDS if name != "code_word"}
        initial["version"] = record.version
        return initial

    def safety_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in FIELDS if name in self.cleaned_data}
        if self.cleaned_data.get("clear_code_word"):
            values["code_word"] = None
        elif not values.get("code_word"):
            values.pop("code_word", None)
        for name in ("contact_person", "who_must_not_know"):
            values[name] = values.get(name) or None
        return values
