from django import forms
from django.utils.translation import gettext_lazy as _

from counselling.retention.models import MAX_YEARS
from ngo.lib.forms import StyledFormMixin, VersionedForm


class RuleForm(StyledFormMixin, VersionedForm):
    # Bounds are checked by the service, so that 0 gets its own clear message.
    years = forms.IntegerField(label=_("Kept for (years)"), max_value=MAX_YEARS * 10)


class HoldForm(StyledFormMixin, forms.Form):
    case = forms.ChoiceField(label=_("On"), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    until = forms.DateField(
        label=_("Until (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, cases=(), **kwargs):
        self.cases = {str(case.pk): case for case in cases}
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        cases = self.cases.values()
        self.fields["case"].choices = [("", _("Her and all her cases"))] + [
            (str(case.pk), case.reference) for case in cases
        ]

    def chosen_case(self):
        return self.cases.get(self.cleaned_data.get("case") or "")


class ProposeForm(StyledFormMixin, forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=None)

    def __init__(self, *args, branches=None, **kwargs):
        self.branches = branches
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["branch"].queryset = self.branches


class ExcludeForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for excluding"), max_length=500)
