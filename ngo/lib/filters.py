import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1900
LAST_YEAR = 2100


class YearField(forms.IntegerField):
    default_error_messages = {"invalid": _("Enter a year between 1900 and 2100.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(**kwargs)
        message = self.error_messages["invalid"]
        for validator in self.validators:
            validator.message = message


class YearFilter(django_filters.NumberFilter):
    """A year of a date field. Outside the years a date can hold, the `__year`
    lookup fails in the database layer; this keeps it to ones a person means."""

    field_class = YearField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)
