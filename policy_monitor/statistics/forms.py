"""The form that defines a shadow-report dataset. It validates and hands plain
values to services; it saves nothing itself."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo.accounts.models import Branch
from ngo.lib.forms import StyledFormMixin
from policy_monitor.statistics.models import Measure, PeriodBasis
from policy_monitor.statistics.tabulation import DEFAULT_CELL_SIZE, MIN_CELL_SIZE, dimension_choices

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


def _month_field(label):
    return forms.DateField(
        label=label,
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Year and month, e.g. 2025-01."),
        error_messages={"invalid": _("Give a year and month, e.g. 2025-01.")},
    )


class DatasetForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        required=False,
        help_text=_('e.g. "CEDAW 10th report: shadow report annex"'),
    )
    period_from = _month_field(_("From (month)"))
    period_to = _month_field(_("To (month)"))
    period_basis = forms.ChoiceField(
        label=_("Cases counted"),
        choices=PeriodBasis.choices,
        initial=PeriodBasis.SERVED,
        widget=forms.RadioSelect,
    )
    branches = forms.ModelMultipleChoiceField(
        label=_("Branches"),
        queryset=Branch.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all branches."),
    )
    rows = forms.ChoiceField(label=_("Rows: broken down by"), choices=dimension_choices)
    columns = forms.ChoiceField(
        label=_("Columns: broken down by (optional)"),
        choices=lambda: [("", "—"), *dimension_choices()],
        required=False,
    )
    measures = forms.MultipleChoiceField(
        label=_("Counts"),
        choices=Measure.choices,
        initial=[Measure.CLIENTS],
        widget=forms.CheckboxSelectMultiple,
    )
    min_cell_size = forms.IntegerField(
        label=_("Minimum cell size (k)"),
        min_value=MIN_CELL_SIZE,
        max_value=50,
        initial=DEFAULT_CELL_SIZE,
        help_text=_("Counts from 1 to k-1 are shown as <k. Never below 3."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The period must end after it starts."))
        if cleaned.get("rows") and cleaned.get("rows") == cleaned.get("columns"):
            self.add_error("columns", _("Choose two different breakdowns."))
        return cleaned

    def dataset_values(self) -> dict:
        data = self.cleaned_data
        dimensions = [data["rows"]] + ([data["columns"]] if data.get("columns") else [])
        return {
            "title": data["title"],
            "purpose": data.get("purpose", ""),
            "period_from": data["period_from"],
            "period_to": data["period_to"],
            "period_basis": data["period_basis"],
            "branches": list(data.get("branches") or []),
            "dimensions": dimensions,
            "measures": list(data["measures"]),
            "min_cell_size": data["min_cell_size"],
        }
