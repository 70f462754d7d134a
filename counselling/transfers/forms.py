from django import forms
from django.utils.translation import gettext_lazy as _

from counselling.forms import StaffChoiceField, assignable_staff
from ngo.accounts.models import Branch
from ngo.accounts.roles import CAPABILITIES, Capability
from ngo.lib.forms import StyledFormMixin

TEXT_MAX = 2000
WRITERS = [role for role, caps in CAPABILITIES.items() if Capability.WRITE_CASES in caps]


class TransferRequestForm(StyledFormMixin, forms.Form):
    to_branch = forms.ModelChoiceField(
        label=_("Receiving branch"),
        queryset=Branch.objects.none(),
        error_messages={
            "required": _("Choose the branch the case should move to."),
            "invalid_choice": _("Choose one of the branches listed."),
        },
    )
    reason = forms.CharField(
        label=_("Why should the case move?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the case should move to another branch.")},
    )
    note = forms.CharField(
        label=_("Note for the receiving branch"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["to_branch"].queryset = Branch.objects.filter(is_active=True).exclude(
            pk=self.case.branch_id
        )


class TransferAcceptForm(StyledFormMixin, forms.Form):
    assigned = StaffChoiceField(
        label=_("Counsellors of your branch for the case"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one counsellor of your branch for the case."),
            "invalid_choice": _("Choose among the staff of the receiving branch."),
        },
    )

    def __init__(self, *args, transfer, **kwargs):
        self.transfer = transfer
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["assigned"].queryset = assignable_staff([self.transfer.to_branch_id]).filter(
            role__in=WRITERS
        )


class TransferDeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the transfer declined?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the transfer is declined.")},
    )
