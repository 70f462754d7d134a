"""Forms of the "Her rights" screens; they validate and hand plain values to
counselling.rights.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.rights.models import IdentityCheck, Outcome, Requester, RequestKind
from ngo.lib.forms import style_widgets

DATE_INPUT = {"type": "date"}


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    @property
    def has_errors(self) -> bool:
        return self.is_bound and bool(self.errors)


def _not_in_future(day):
    if day is not None and day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if day is not None and day.year < 1900:
        raise ValidationError(_("Enter a year between 1900 and 2100."))
    return day


def _date_field(label):
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        validators=[_not_in_future],
    )


class ExportPrepareForm(_Form):
    requested_on = _date_field(_("requested on"))
    requester = forms.ChoiceField(label=_("who asked"), choices=Requester.choices)
    identity_check = forms.ChoiceField(
        label=_("how her identity was checked"), choices=IdentityCheck.choices
    )
    identity_note = forms.CharField(
        label=_("note on the identity check"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RequestForm(_Form):
    kind = forms.ChoiceField(label=_("kind"), choices=RequestKind.choices)
    asked = forms.CharField(
        label=_("what she asks"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_on = _date_field(_("received on"))


DECISIONS = [(value, label) for value, label in Outcome.choices if value != Outcome.PENDING]


class DecisionForm(_Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=DECISIONS)
    reason = forms.CharField(
        label=_("reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the request is refused in whole or in part."),
    )
    changes_made = forms.CharField(
        label=_("what was changed"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    changed_object_type = forms.CharField(
        label=_("changed record type"),
        required=False,
        max_length=100,
        help_text=_('e.g. "counselling.client"'),
    )
    changed_object_id = forms.CharField(label=_("changed record id"), required=False, max_length=64)
