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


# The largest id a 64-bit primary key can hold: beyond it SQLite cannot even
# bind the number, which would be a 500 instead of an answer.
ID_MAX = 2**63 - 1


class IdField(forms.IntegerField):
    default_error_messages = {"invalid": _("Enter a record id: a whole number from 1.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)
        message = self.error_messages["invalid"]
        for validator in self.validators:
            validator.message = message


class IdFilter(django_filters.NumberFilter):
    """A record's id (?case=12): a whole number a primary key can hold."""

    field_class = IdField


class RecordsField(django_filters.fields.ModelMultipleChoiceField):
    """Several records by id (?theme=3&theme=7): each a whole number a primary
    key can hold, checked before the database is asked."""

    def _check_values(self, value):
        checker = IdField()
        for one in value:
            try:
                checker.clean(one)
            except forms.ValidationError:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": one},
                ) from None
        return super()._check_values(value)


class RecordsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = RecordsField
