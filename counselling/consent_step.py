"""The consent step of intake: the explanation in the language she chooses,
then her decision on each purpose, asked separately (a refusal is recorded
too; a purpose not asked about records nothing)."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from counselling.consent_texts import selectors as consent_texts
from counselling.forms import Form, localised_language_choices
from counselling.models import REFERRAL_ORGANISATION_KINDS, ConsentPurpose
from ngo.accounts.models import Branch
from ngo.directory.models import OrganisationKind
from ngo.lib.codes import language_codes

GIVEN, REFUSED = "given", "refused"
DECISIONS = [("", _("Not asked")), (GIVEN, _("She agrees")), (REFUSED, _("She refuses"))]


def _decision_field(label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=DECISIONS, required=False, widget=forms.RadioSelect, initial=""
    )


class IntakeConsentForm(Form):
    consent_language = forms.ChoiceField(
        label=_("language of the explanation"),
        choices=lambda: [("", "---------"), *localised_language_choices()],
        required=False,
        help_text=_("The explanation below is shown in this language."),
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("consent_texts:explanation"),
                "hx-target": "#consent-explanation",
                "hx-swap": "outerHTML",
                "hx-trigger": "change, change from:#id_branch",
                "hx-include": "#id_branch",
            }
        ),
    )
    interpreter_explained = forms.BooleanField(
        label=_("An interpreter explained it to her"), required=False
    )
    consent_store_data = _decision_field(ConsentPurpose.STORE_DATA.label)
    consent_share_referral = _decision_field(ConsentPurpose.SHARE_REFERRAL.label)
    consent_share_kinds = forms.MultipleChoiceField(
        label=_("kinds of organisation she agreed to share with"),
        choices=[(kind, OrganisationKind(kind).label) for kind in REFERRAL_ORGANISATION_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_statistics = _decision_field(ConsentPurpose.STATISTICS.label)
    consent_advocacy_story = _decision_field(ConsentPurpose.ADVOCACY_STORY.label)

    def clean(self):
        cleaned = super().clean()
        if self.decisions_made() and not cleaned.get("consent_language"):
            self.add_error(
                "consent_language", _("Say in which language the consent was explained.")
            )
        if cleaned.get("consent_share_referral") == GIVEN and not cleaned.get(
            "consent_share_kinds"
        ):
            self.add_error(
                "consent_share_kinds", _("Say which kinds of organisation she agreed to.")
            )
        return cleaned

    def decision_fields(self):
        return [self[f"consent_{purpose}"] for purpose in ConsentPurpose.values]

    def decisions_made(self) -> list[dict]:
        decisions = []
        for purpose in ConsentPurpose.values:
            answer = self.cleaned_data.get(f"consent_{purpose}")
            if answer not in (GIVEN, REFUSED):
                continue
            kinds = (
                self.cleaned_data.get("consent_share_kinds") or []
                if purpose == ConsentPurpose.SHARE_REFERRAL and answer == GIVEN
                else []
            )
            decisions.append(
                {"purpose": purpose, "given": answer == GIVEN, "organisation_kinds": kinds}
            )
        return decisions

    def intake_values(self) -> dict:
        """The consent arguments of the intake service."""
        return {
            "consents": self.decisions_made(),
            "consent_language": self.cleaned_data.get("consent_language") or "",
            "interpreter_explained": bool(self.cleaned_data.get("interpreter_explained")),
        }

    def shown_language(self, client_languages=()) -> str:
        """The language to explain in: the one chosen, else her first."""
        chosen = self.data.get("consent_language") if self.is_bound else ""
        if chosen in language_codes():
            return chosen
        for code in client_languages:
            if code in language_codes():
                return code
        return consent_texts.KOREAN


def intake_branch(intake_form) -> Branch | None:
    """The branch she is being registered at: the one chosen, else the only
    branch of the person registering her (None while it is not known)."""
    field = intake_form.fields["branch"]
    if intake_form.is_bound:
        return getattr(intake_form, "cleaned_data", {}).get("branch")
    return field.queryset.filter(pk=field.initial).first() if field.initial else None


def explanation_context(language: str, branch: Branch | None = None) -> dict:
    """What the explanation partial shows: the texts and the contact of her branch."""
    explanation = consent_texts.explanation(language)
    return {
        "explanation": explanation,
        "contact": consent_texts.centre_contact(branch=branch, language=explanation.language),
    }
