"""Forms of the edit screens (shelter, room, bed), the board's date and the bed
requests. They validate and hand plain values to the services; each edit form
carries the version of the record it was filled from (ngo.lib.forms.VersionedForm)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.forms import Form, _model_field, _textarea, case_code_field, date_field
from counselling.models import Case, CaseStatus, Child
from counselling.shelters.models import (
    Bed,
    BedKind,
    BedRequest,
    BedRequestUrgency,
    Room,
    Shelter,
)
from ngo import access
from ngo.access import Need
from ngo.accounts.models import User
from ngo.lib.forms import VersionedForm, display


class ShelterEditForm(VersionedForm, Form):
    name = _model_field(Shelter, "name")
    public_name = _model_field(Shelter, "public_name")
    address = _model_field(Shelter, "address", widget=_textarea(2))
    max_stay_days = _model_field(Shelter, "max_stay_days")
    hold_hours = _model_field(Shelter, "hold_hours")
    is_active = _model_field(Shelter, "is_active")

    FIELDS = ("name", "public_name", "address", "max_stay_days", "hold_hours", "is_active")

    @classmethod
    def initial_for(cls, shelter: Shelter) -> dict:
        return {name: getattr(shelter, name) for name in (*cls.FIELDS, "version")}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class RoomEditForm(VersionedForm, Form):
    name = _model_field(Room, "name")
    out_of_service = _model_field(Room, "out_of_service")
    out_of_service_note = _model_field(Room, "out_of_service_note")

    FIELDS = ("name", "out_of_service", "out_of_service_note")

    @classmethod
    def initial_for(cls, room: Room) -> dict:
        return {name: getattr(room, name) for name in (*cls.FIELDS, "version")}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class BedEditForm(VersionedForm, Form):
    label = _model_field(Bed, "label")
    kind = forms.ChoiceField(label=_("kind"), choices=BedKind.choices)
    out_of_service = _model_field(Bed, "out_of_service")
    out_of_service_until = date_field(_("out of service until"), required=False)
    out_of_service_note = _model_field(Bed, "out_of_service_note")

    FIELDS = ("label", "kind", "out_of_service", "out_of_service_until", "out_of_service_note")

    @classmethod
    def initial_for(cls, bed: Bed) -> dict:
        return {name: getattr(bed, name) for name in (*cls.FIELDS, "version")}

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class BoardDateForm(forms.Form):
    """?on=YYYY-MM-DD, today when absent."""

    on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give the date as YYYY-MM-DD.")},
    )

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day is not None and not date(2000, 1, 1) <= day <= date(2100, 12, 31):
            raise forms.ValidationError(_("Give a date between 2000 and 2100."))
        return day or timezone.localdate()


# --- Bed requests ----------------------------------------------------------------------


def editable_open_case(user: User, code: str | None) -> Case | None:
    """Her most recent case with this code that `user` may change (closed ones too,
    so that the service can say the case is closed)."""
    code = (code or "").strip()
    if not code:
        return None
    cases = access.scope(user, Case.objects.select_related("client"), Need.WRITE)
    found = cases.filter(client__case_code__iexact=code).order_by("-opened_on", "-id")
    return found.exclude(status=CaseStatus.CLOSED).first() or found.first()


class ChildrenField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.first_name or str(_("child"))
        return f"{name} ({obj.age})" if obj.age is not None else name


class BedRequestForm(Form):
    """A request for beds; her children are offered once her case code is known
    (the page posts the code first with "Find", as the admission does)."""

    shelter = forms.ModelChoiceField(label=_("shelter"), queryset=None)
    case_code = case_code_field()
    adult_beds = forms.IntegerField(label=_("adult beds"), min_value=0, max_value=5, initial=1)
    children = ChildrenField(
        label=_("children who come with her (a cot each)"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    from_date = date_field(_("from"), initial=timezone.localdate)
    urgency = forms.ChoiceField(
        label=_("urgency"), choices=BedRequestUrgency.choices, initial=BedRequestUrgency.SOON
    )
    reason = forms.CharField(
        label=_("reason"),
        widget=_textarea(3),
        max_length=2000,
        help_text=_("Only the shelter's staff read it. Give what they need to know."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        self.case: Case | None = None
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        field = self.fields["shelter"]
        field.queryset = Shelter.objects.filter(is_active=True).select_related("branch")
        field.label_from_instance = lambda s: f"{s.shown_name} · {s.branch.code}"
        name = "case_code"
        code = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        self.case = editable_open_case(self.user, code)
        if self.case is not None:
            self.fields["children"].queryset = Child.objects.filter(client_id=self.case.client_id)

    def clean_case_code(self):
        if self.case is None:
            raise forms.ValidationError(_("No case you can change has this case code."))
        return self.case.client.case_code

    def request_values(self) -> dict:
        data = self.cleaned_data
        return {
            "case": self.case,
            "shelter": data["shelter"],
            "adult_beds": data["adult_beds"],
            "children": list(data["children"]),
            "from_date": data["from_date"],
            "urgency": data["urgency"],
            "reason": data["reason"],
        }


class BedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.room.name}-{obj.label} · {display(obj, 'kind')}"


class AcceptForm(Form):
    beds = BedChoiceField(
        label=_("beds to hold"), queryset=Bed.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, bed_request: BedRequest, **kwargs):
        self.bed_request = bed_request
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["beds"].queryset = (
            Bed.objects.filter(
                room__shelter_id=self.bed_request.shelter_id,
                out_of_service=False,
                room__out_of_service=False,
            )
            .select_related("room")
            .order_by("room__name", "label")
        )


class DeclineForm(Form):
    reason = forms.CharField(label=_("reason for declining"), widget=_textarea(2), max_length=2000)
