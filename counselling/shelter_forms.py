"""Forms of the shelter and programme screens. They validate input and hand plain
values to counselling.shelter_services; none of them saves anything itself.

A woman is always picked by her case code, never by name, and only among the
cases (or clients) the person at the keyboard may see."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.forms import (
    DATE_INPUT,
    DATETIME_FORMAT,
    Form,
    _model_field,
    _textarea,
    localised_language_choices,
)
from counselling.models import (
    Bed,
    BedKind,
    Case,
    CaseStatus,
    Child,
    ClassSession,
    Client,
    DischargeDestination,
    Programme,
    Shelter,
)
from ngo import access
from ngo.access import Need
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Capability


def _date_field(label, *, required: bool = True, initial=None, help_text: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


def _case_code_field(*, required: bool = True, help_text: str = ""):
    return forms.CharField(
        label=_("case code"),
        max_length=20,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "font-monospace"}),
    )


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


def visible_client(user: User, code: str | None) -> Client | None:
    code = (code or "").strip()
    if not code:
        return None
    return access.scope(user, Client, Need.READ).filter(case_code__iexact=code).first()


def may_see_clients(user: User) -> bool:
    return access.condition(user, Client, Need.READ) is not None


def manages_branches(user: User) -> bool:
    """Branch managers and administrators set up shelters, rooms, beds and programmes."""
    return user.can(Capability.MANAGE_BRANCH) or user.can(Capability.MANAGE_STAFF)


def branches_of(user: User):
    if user.can(Capability.ALL_BRANCHES):
        return Branch.objects.order_by("code")
    return user.branches.order_by("code")


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

    case_code = _case_code_field()
    admitted_on = _date_field(_("admitted on"), initial=timezone.localdate)
    expected_leave_on = _date_field(_("expected to leave on"), required=False)
    children = ChildChoiceField(
        label=_("children who come with her"),
        queryset=Child.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    children_count = forms.IntegerField(
        label=_("children with her"),
        min_value=0,
        max_value=30,
        required=False,
        help_text=_("Blank: the children ticked above."),
    )

    def __init__(self, *args, user: User, shelter: Shelter, **kwargs):
        self.user, self.shelter = user, shelter
        self.case: Case | None = None
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        name = "case_code"
        code = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        self.case = visible_open_case(self.user, code)
        if self.case is not None:
            self.fields["children"].queryset = Child.objects.filter(client_id=self.case.client_id)
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
        }


class HoldForm(Form):
    case_code = _case_code_field(
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
    moved_on = _date_field(_("moved on"), initial=timezone.localdate)

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
    discharged_on = _date_field(_("discharged on"), initial=timezone.localdate)
    destination = forms.ChoiceField(
        label=_("destination"), choices=[("", "---------"), *DischargeDestination.choices]
    )
    notes = forms.CharField(label=_("discharge notes"), required=False, widget=_textarea(3))


class ExpectedLeaveForm(Form):
    expected_leave_on = _date_field(_("expected to leave on"))


# --- Programmes ----------------------------------------------------------------------------


class FacilitatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.get_role_display()})"


class ProgrammeForm(Form):
    branch = forms.ModelChoiceField(label=_("branch"), queryset=None)
    title_ko = _model_field(Programme, "title_ko")
    title_en = _model_field(Programme, "title_en")
    kind = _model_field(Programme, "kind")
    facilitator = FacilitatorChoiceField(label=_("facilitator"), queryset=None)
    language = forms.ChoiceField(
        label=_("language of instruction"),
        choices=lambda: [("", "---------"), *localised_language_choices()],
        initial="ko",
    )
    interpreter_available = _model_field(Programme, "interpreter_available")
    completion_threshold = _model_field(Programme, "completion_threshold")
    starts_on = _date_field(_("starts on"), initial=timezone.localdate)
    ends_on = _date_field(_("ends on"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        branches = branches_of(self.user)
        self.fields["branch"].queryset = branches
        if len(self.user.branch_ids()) == 1:
            self.fields["branch"].initial = next(iter(self.user.branch_ids()))
        staff = User.objects.filter(is_active=True)
        if not self.user.can(Capability.ALL_BRANCHES):
            staff = staff.filter(Q(branches__in=list(self.user.branch_ids())) | Q(pk=self.user.pk))
        self.fields["facilitator"].queryset = staff.distinct().order_by("full_name")

    def programme_values(self) -> dict:
        return dict(self.cleaned_data)


class ClassSessionForm(Form):
    starts_at = forms.DateTimeField(
        label=_("date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    place = _model_field(ClassSession, "place")
    topic = _model_field(ClassSession, "topic")


class EnrolForm(Form):
    """A client by case code (only for those who may see clients), or a community
    member by name and contact."""

    case_code = _case_code_field(
        required=False,
        help_text=_("For a client of the centre. Leave blank for a community member."),
    )
    member_name = forms.CharField(
        label=_("name (community member)"), max_length=150, required=False
    )
    member_contact = forms.CharField(
        label=_("contact (community member)"), max_length=150, required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        self.client: Client | None = None
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        if not may_see_clients(self.user):
            del self.fields["case_code"]

    def clean_case_code(self):
        code = self.cleaned_data["case_code"].strip()
        if code:
            self.client = visible_client(self.user, code)
            if self.client is None:
                raise forms.ValidationError(_("No client you can see has this case code."))
        return code

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("member_name") or "").strip()
        if "case_code" in self.errors:
            return cleaned
        if self.client is None and not name:
            raise forms.ValidationError(
                _("Enrol either a client (by case code) or a community member (by name).")
                if "case_code" in self.fields
                else _("Give the community member's name.")
            )
        if self.client is not None and name:
            raise forms.ValidationError(
                _("Enrol either a client (by case code) or a community member (by name).")
            )
        return cleaned

    def enrol_values(self) -> dict:
        return {
            "client": self.client,
            "member_name": self.cleaned_data["member_name"],
            "member_contact": self.cleaned_data["member_contact"],
        }


class RegisterForm(Form):
    """The register of one class: a check box per enrolment."""

    present = forms.MultipleChoiceField(
        label=_("present"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rows: list[tuple[int, str]], **kwargs):
        self.rows = rows
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["present"].choices = [(str(pk), who) for pk, who in self.rows]

    def present_values(self) -> dict[int, bool]:
        ticked = set(self.cleaned_data["present"])
        return {pk: str(pk) in ticked for pk, _who in self.rows}
