"""Forms of the shelter screens. They validate input and hand plain values to
counselling.shelters.services; none of them saves anything itself.

A woman is always picked by her case code, never by name, and only among the
cases the person at the keyboard may see."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.forms import (
    Form,
    _model_field,
    _textarea,
    branches_of,
    case_code_field,
    date_field,
)
from counselling.models import Case, CaseStatus, Child
from counselling.shelters import selectors
from counselling.shelters.models import Bed, BedKind, DischargeDestination, Shelter
from ngo import access
from ngo.access import Need
from ngo.accounts.models import User


def visible_open_case(user: User, code: str | None) -> Case | None:
    """Her most recent open case that `user` may see, by case code."""
    code = (code or "").strip()
    if not code:
        return None
    cases = access.scope(user, Case.objects.select_related("client"), Need.READ)
    return (
        cases.filter(client__case_code__iexact=code)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("-opened_on", "-id")
        .first()
    )


# --- Shelters, rooms, beds -------------------------------------------------------------------


class ShelterForm(Form):
    branch = forms.ModelChoiceField(label=_("branch"), queryset=None)
    name = _model_field(Shelter, "name")
    address = _model_field(Shelter, "address", widget=_textarea(2))
    max_stay_days = _model_field(Shelter, "max_stay_days")
    hold_hours = _model_field(Shelter, "hold_hours")

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        branches = branches_of(self.user)
        self.fields["branch"].queryset = branches
        if len(self.user.branch_ids()) == 1:
            self.fields["branch"].initial = next(iter(self.user.branch_ids()))


class RoomForm(Form):
    name = forms.CharField(label=_("room"), max_length=50)


class BedForm(Form):
    room = forms.ModelChoiceField(label=_("room"), queryset=None)
    label = forms.CharField(label=_("bed"), max_length=20)
    kind = forms.ChoiceField(label=_("kind"), choices=BedKind.choices, initial=BedKind.ADULT)

    def __init__(self, *args, shelter: Shelter, **kwargs):
        self.shelter = shelter
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["room"].queryset = self.shelter.rooms.order_by("name")


class BedServiceForm(Form):
    out_of_service = forms.BooleanField(required=False)


class ChildChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.first_name or str(_("child"))
        if obj.age is not None:
            return f"{name} ({obj.age})"
        if obj.birth_date:
            return f"{name} ({obj.birth_date:%Y-%m-%d})"
        return name


class AdmitForm(Form):
    """Admission to one bed. Her children are offered once her case code is known
    (the page posts the code first, then shows the check boxes)."""

    case_code = case_code_field()
    admitted_on = date_field(_("admitted on"), initial=timezone.localdate)
    expected_leave_on = date_field(_("expected to leave on"), required=False)
    children = ChildChoiceField(
        label=_("children who come with her"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cots = forms.ModelMultipleChoiceField(
        label=_("cots for the children"),
        queryset=Bed.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One free cot for each child ticked, in the order shown."),
    )
    children_count = forms.IntegerField(
        label=_("children with her"),
        min_value=0,
        max_value=30,
        required=False,
        help_text=_("Blank: the children ticked above."),
    )

    def __init__(
        self, *args, user: User, shelter: Shelter, held_case: Case | None = None, **kwargs
    ):
        self.user, self.shelter, self.held_case = user, shelter, held_case
        self.case: Case | None = None
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        name = "case_code"
        code = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        self.case = visible_open_case(self.user, code)
        held = self.held_case
        # A woman of another branch, for whom this bed was held at her counsellor's request.
        if (
            self.case is None
            and held is not None
            and held.status != CaseStatus.CLOSED
            and (code or "").strip().lower() == held.client.case_code.lower()
        ):
            self.case = held
        if self.case is not None:
            self.fields["children"].queryset = selectors.children_of_case(case=self.case)
        cots = self.fields["cots"]
        cots.queryset = (
            Bed.objects.filter(room__shelter=self.shelter, kind=BedKind.COT)
            .select_related("room")
            .order_by("room__name", "label")
        )
        cots.label_from_instance = lambda bed: f"{bed.room.name}-{bed.label}"
        self.fields["expected_leave_on"].help_text = _(
            "Blank: %(days)d days after admission (the shelter's maximum stay)."
        ) % {"days": self.shelter.max_stay_days}

    def clean_case_code(self):
        if self.case is None:
            raise forms.ValidationError(_("No open case you can see has this case code."))
        return self.case.client.case_code

    def admit_values(self) -> dict:
        data = self.cleaned_data
        return {
            "case": self.case,
            "admitted_on": data["admitted_on"],
            "expected_leave_on": data["expected_leave_on"],
            "children": list(data["children"]),
            "children_count": data["children_count"],
            "cots": list(data["cots"]),
        }


class HoldForm(Form):
    case_code = case_code_field(
        required=False, help_text=_("Optional: the woman the bed is kept for.")
    )
    note = forms.CharField(
        label=_("note"),
        max_length=200,
        required=False,
        help_text=_("All shelter staff see the board: no names."),
    )
    hours = forms.IntegerField(
        label=_("hours"),
        min_value=1,
        max_value=72,
        required=False,
        help_text=_("Blank: the shelter's hold time."),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        self.case: Case | None = None
        super().__init__(*args, **kwargs)

    def clean_case_code(self):
        code = self.cleaned_data["case_code"].strip()
        if code:
            self.case = visible_open_case(self.user, code)
            if self.case is None:
                raise forms.ValidationError(_("No open case you can see has this case code."))
        return code


# --- Stays ---------------------------------------------------------------------------------


class MoveForm(Form):
    bed = forms.ModelChoiceField(label=_("bed"), queryset=None)
    moved_on = date_field(_("moved on"), initial=timezone.localdate)

    def __init__(self, *args, stay, **kwargs):
        self.stay = stay
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        field = self.fields["bed"]
        field.queryset = (
            Bed.objects.filter(room__shelter_id=self.stay.shelter_id, out_of_service=False)
            .exclude(pk=self.stay.bed_id)
            .select_related("room")
            .order_by("room__name", "label")
        )
        field.label_from_instance = lambda bed: (
            f"{bed.room.name}-{bed.label} · {bed.get_kind_display()}"
        )


class DischargeForm(Form):
    discharged_on = date_field(_("discharged on"), initial=timezone.localdate)
    destination = forms.ChoiceField(
        label=_("destination"), choices=[("", "---------"), *DischargeDestination.choices]
    )
    notes = forms.CharField(label=_("discharge notes"), required=False, widget=_textarea(3))


class ExpectedLeaveForm(Form):
    expected_leave_on = date_field(_("expected to leave on"))
