from django import forms

from ngo.lib.forms import StyledFormMixin
from ngo.reminders.models import NotificationPreference


class PreferenceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}
