"""Forms of the services-given screens; the services save."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.forms import (
    Form,
    OrganisationChoiceField,
    _model_field,
    _textarea,
    branches_of,
    date_field,
)
from counselling.support.models import MAX_COST_KRW, ServiceGiven
from ngo import access
from ngo.directory.models import Organisation
from ngo.lib.forms import VersionedForm


class ServiceForm(VersionedForm, Form):
    kind = _model_field(ServiceGiven, "kind")
    organisation = OrganisationChoiceField(
        label=_("provider (directory)"), queryset=None, required=False
    )
    provider_name = _model_field(ServiceGiven, "provider_name")
    given_on = date_field(_("date (from)"), initial=timezone.localdate)
    given_until = date_field(_("until"), required=False)
    cost_krw = forms.IntegerField(
        label=_("cost (KRW)"), required=False, min_value=0, max_value=MAX_COST_KRW
    )
    paid_by = _model_field(ServiceGiven, "paid_by")
    status = _model_field(ServiceGiven, "status")
    note = _model_field(ServiceGiven, "note", widget=_textarea(2))

    def __init__(self, *args, user, service: ServiceGiven | None = None, **kwargs):
        self.user = user
        if service is not None:
            initial = {
                name: getattr(service, name) for name in self.base_fields if name != "version"
            }
            initial["organisation"] = service.organisation_id
            initial["version"] = service.version
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["organisation"].queryset = access.scope(
            self.user, Organisation.objects.filter(is_active=True)
        ).order_by("name_ko", "name_en")

    def service_values(self) -> dict:
        values = dict(self.cleaned_data)
        values.pop("version", None)
        return values


class CostReportForm(Form):
    date_from = date_field(_("from"))
    date_until = date_field(_("until"))
    branch = forms.ModelChoiceField(label=_("branch"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        today = timezone.localdate()
        kwargs.setdefault(
            "initial", {"date_from": today.replace(month=1, day=1), "date_until": today}
        )
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["branch"].queryset = branches_of(self.user)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_until")
        if start and end and end < start:
            self.add_error("date_until", _("The period must end after it starts."))
        return data
