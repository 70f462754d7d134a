from django import forms
from django.utils.translation import gettext_lazy as _

from counselling.letters.services import NUMBER_MAX_LENGTH
from counselling.letters.texts import CLIENT_LANGUAGES, LANGUAGE_NAMES
from ngo.lib.forms import StyledFormMixin


class LetterPrepareForm(StyledFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Second page in her language"),
        required=False,
        choices=[("", _("None: she reads Korean or English"))]
        + [(code, LANGUAGE_NAMES[code]) for code in CLIENT_LANGUAGES],
    )


class LetterRevokeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the letter revoked?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the letter is revoked.")},
    )


class LetterVerifyForm(StyledFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Letter number"),
        max_length=NUMBER_MAX_LENGTH,
        help_text=_("As printed on the letter, e.g. SEO-L-2026-0012."),
        error_messages={"required": _("Enter the letter number.")},
    )
    birth_date = forms.DateField(
        label=_("Her date of birth"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("YYYY-MM-DD"),
        error_messages={
            "required": _("Enter her date of birth."),
            "invalid": _("Enter the date of birth as YYYY-MM-DD, e.g. 1990-04-25."),
        },
    )
