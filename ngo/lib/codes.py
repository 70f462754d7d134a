"""Standard code lists: ISO 639-1 languages (pycountry) and ISO 3166 countries
(django-countries), with validators that give a readable message."""

from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django_countries import countries


@cache
def language_choices() -> list[tuple[str, str]]:
    return sorted(
        ((lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")),
        key=lambda item: item[1],
    )


@cache
def language_codes() -> frozenset[str]:
    return frozenset(code for code, _name in language_choices())


def language_name(code: str) -> str:
    return dict(language_choices()).get(code, code)


def validate_language_code(value: str) -> None:
    if value not in language_codes():
        raise ValidationError(
            _("%(code)s is not a known language code (use ISO 639-1, e.g. vi, zh, tl)."),
            params={"code": value},
            code="unknown_language",
        )


def validate_language_codes(values) -> None:
    if not isinstance(values, list):
        raise ValidationError(_("Give a list of language codes."), code="not_a_list")
    for value in values:
        validate_language_code(value)


def validate_country_code(value: str) -> None:
    if value not in dict(countries):
        raise ValidationError(
            _("%(code)s is not a known country code (use ISO 3166, e.g. VN, PH, KH)."),
            params={"code": value},
            code="unknown_country",
        )


@deconstructible
class ChoiceListValidator:
    """A JSON list whose items must come from `allowed`, without repeats."""

    def __init__(self, allowed):
        self.allowed = tuple(allowed)

    def __call__(self, values):
        if not isinstance(values, list):
            raise ValidationError(_("Give a list."), code="not_a_list")
        unknown = [v for v in values if v not in self.allowed]
        if unknown:
            raise ValidationError(
                _("Unknown value(s): %(values)s."),
                params={"values": ", ".join(map(str, unknown))},
                code="unknown_choice",
            )
        if len(set(values)) != len(values):
            raise ValidationError(_("A value is repeated."), code="repeated")

    def __eq__(self, other):
        return isinstance(other, ChoiceListValidator) and self.allowed == other.allowed
