"""Forms of the consent-text screens; they hand plain values to the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counselling.consent_texts.models import LANGUAGES, ConsentText, Section
from ngo.lib.forms import StyledFormMixin, VersionedForm


class ConsentTextEditForm(StyledFormMixin, VersionedForm):
    heading = forms.CharField(label=_("heading"), max_length=200)
    body = forms.CharField(
        label=_("text"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Short sentences, plain words. Saving makes a new version; a reviewed "
            "text loses its review mark until a native speaker checks it again."
        ),
    )

    @classmethod
    def initial_for(cls, text: ConsentText) -> dict:
        return {"heading": text.heading, "body": text.body, "version": text.version}


class ConsentTextReviewForm(StyledFormMixin, VersionedForm):
    reviewer_name = forms.CharField(
        label=_("native speaker who reviewed it"),
        max_length=200,
        help_text=_("Who read this version in her language and found it right."),
    )


class ConsentTextFilterForm(StyledFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("language"), choices=[("", _("All")), *[(c, c) for c in LANGUAGES]], required=False
    )
    section = forms.ChoiceField(
        label=_("section"), choices=[("", _("All")), *Section.choices], required=False
    )
