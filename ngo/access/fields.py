"""Input fields of the REST API that hold the ranges the records can use.

A date of the year 806 parses as a date, but no case, stay or campaign of the
centre is that old, and Python's time zones give such instants offsets in
seconds (Seoul's local mean time, +08:27:52) that are no valid RFC 3339 time
on the way out. Every date and date-time the API accepts lies in the years
1900-2100.
"""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ngo.lib.filters import FIRST_YEAR as YEAR_MIN
from ngo.lib.filters import LAST_YEAR as YEAR_MAX


def _with_years_help(kwargs: dict) -> dict:
    years = format_lazy(_("Years {min}-{max}."), min=YEAR_MIN, max=YEAR_MAX)
    help_text = kwargs.get("help_text")
    kwargs["help_text"] = format_lazy("{} {}", help_text, years) if help_text else years
    return kwargs


class _YearBounded:
    """A date or date-time field that refuses a year outside YEAR_MIN-YEAR_MAX
    (its `year_range` message) and says the range in its help text."""

    def __init__(self, **kwargs):
        super().__init__(**_with_years_help(kwargs))

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not YEAR_MIN <= parsed.year <= YEAR_MAX:
            self.fail("year_range", min=YEAR_MIN, max=YEAR_MAX)
        return parsed


class BoundedDateField(_YearBounded, serializers.DateField):
    default_error_messages = {
        "year_range": _("Enter a date between the years {min} and {max}."),
    }


class BoundedDateTimeField(_YearBounded, serializers.DateTimeField):
    default_error_messages = {
        "year_range": _("Enter a date and time between the years {min} and {max}."),
    }
