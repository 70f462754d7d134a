"""Forms of the hotline screens: fast to fill while on the phone (choices as
buttons, the time and the branch filled in). They hand plain values to
counselling.hotline.services; the phone-number rule is the service's."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.forms import (
    Form,
    _blank_language_choices,
    _datetime,
    _model_field,
    _textarea,
    branches_of,
    case_code_field,
)
from counselling.hotline.models import MAX_CALL_MINUTES, CallReferral, CallTopic, HotlineCall
from ngo.lib.forms import VersionedForm


class CallForm(VersionedForm, Form):
    branch = forms.ModelChoiceField(label=_("branch"), queryset=None)
    started_at = _datetime(HotlineCall, "started_at")
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), min_value=1, max_value=MAX_CALL_MINUTES, initial=5
    )
    language = forms.ChoiceField(
        label=_("language"), choices=_blank_language_choices, required=False
    )
    interpreter = _model_field(HotlineCall, "interpreter", widget=forms.RadioSelect)
    caller_kind = _model_field(HotlineCall, "caller_kind", widget=forms.RadioSelect)
    topics = forms.MultipleChoiceField(
        label=_("topics"),
        choices=CallTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    risk = _model_field(HotlineCall, "risk", widget=forms.RadioSelect)
    advice = _model_field(HotlineCall, "advice", widget=_textarea(4))
    referrals = forms.MultipleChoiceField(
        label=_("referrals given"),
        choices=CallReferral.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_to_come_in = _model_field(HotlineCall, "wants_to_come_in", widget=forms.RadioSelect)
    confirm_no_identifier = forms.BooleanField(
        label=_("I checked: the advice text identifies nobody"),
        required=False,
        help_text=_("Only if the form warned that the text looks like a phone number."),
    )

    def __init__(self, *args, user, call: HotlineCall | None = None, **kwargs):
        self.user = user
        self.call = call
        if call is not None:
            initial = {
                name: getattr(call, name) for name in self.base_fields if hasattr(call, name)
            }
            initial["branch"] = call.branch_id
            initial["started_at"] = timezone.localtime(call.started_at)
            initial["version"] = call.version
            kwargs.setdefault("initial", initial)
        else:
            kwargs.setdefault(
                "initial", {"started_at": timezone.localtime().replace(second=0, microsecond=0)}
            )
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        branches = branches_of(self.user)
        self.fields["branch"].queryset = branches
        if self.call is not None:
            del self.fields["branch"]  # a call stays at the branch that took it
        elif len(self.user.branch_ids()) == 1:
            self.fields["branch"].initial = next(iter(self.user.branch_ids()))

    def call_values(self) -> dict:
        values = dict(self.cleaned_data)
        values.pop("version", None)
        return values


class CallLinkForm(Form):
    case_code = case_code_field(help_text=_("Her case code; the call joins her open case."))


class CaseCallLinkForm(Form):
    call = forms.IntegerField(label=_("call"), min_value=1, max_value=2**31 - 1)
