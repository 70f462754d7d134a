"""The nationality list of the intake and client forms: the countries most of
the centre's clients come from first (shared/DOMAIN.md: marriage migrants and
migrant workers), then every country, alphabetically in the reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries

# In the order the centre meets them most.
COMMON_COUNTRIES = (
    "VN",  # Vietnam
    "CN",  # China
    "PH",  # the Philippines
    "KH",  # Cambodia
    "TH",  # Thailand
    "MN",  # Mongolia
    "UZ",  # Uzbekistan
    "RU",  # Russia
    "NP",  # Nepal
    "ID",  # Indonesia
    "JP",  # Japan
    "KG",  # Kyrgyzstan
)


def nationality_choices() -> list:
    """An empty choice, the common countries, then all countries: two groups of
    the select (the group headings are the separator). Built when the form is, so
    the names and their order are those of the language of the request."""
    everyone = sorted(countries, key=lambda country: str(country.name))
    return [
        ("", "---------"),
        (_("Most common"), [(code, countries.name(code)) for code in COMMON_COUNTRIES]),
        (_("All countries"), [(country.code, str(country.name)) for country in everyone]),
    ]


def with_common_countries(field):
    """The model's nationality form field, offering `nationality_choices`."""
    field.choices = nationality_choices
    return field
