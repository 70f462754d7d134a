from django import forms
from django.utils.translation import gettext_lazy as _

from ngo.lib.forms import StyledFormMixin

TEXT_MAX = 2000


class ApprovalDeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the request declined?"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the request is declined.")},
    )
