"""Forms of the programme screens. They validate input and hand plain values to
counselling.programmes.services; none of them saves anything itself.

A client is picked by her case code, never by name, and only among the clients
the person at the keyboard may see."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.forms import (
    DATETIME_FORMAT,
    Form,
    _model_field,
    branches_of,
    case_code_field,
    date_field,
    localised_language_choices,
)
from counselling.models import Client
from counselling.programmes.models import ClassSession, Programme
from ngo import access
from ngo.access import Need
from ngo.accounts.models import User
from ngo.accounts.roles import Capability
from ngo.lib.forms import VersionedForm, display


def visible_client(user: User, code: str | None) -> Client | None:
    code = (code or "").strip()
    if not code:
        return None
    return access.scope(user, Client, Need.READ).filter(case_code__iexact=code).first()


def may_see_clients(user: User) -> bool:
    return access.condition(user, Client, Need.READ) is not None


class FacilitatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({display(obj, 'role')})"


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
    starts_on = date_field(_("starts on"), initial=timezone.localdate)
    ends_on = date_field(_("ends on"), required=False)

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

    case_code = case_code_field(
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


class ProgrammeEditForm(VersionedForm, Form):
    """Rename, describe, reschedule or archive a programme (its branch stays)."""

    title_ko = _model_field(Programme, "title_ko")
    title_en = _model_field(Programme, "title_en")
    description = _model_field(Programme, "description", widget=forms.Textarea(attrs={"rows": 4}))
    kind = _model_field(Programme, "kind")
    interpreter_available = _model_field(Programme, "interpreter_available")
    completion_threshold = _model_field(Programme, "completion_threshold")
    starts_on = date_field(_("starts on"))
    ends_on = date_field(_("ends on"), required=False)
    archived = _model_field(Programme, "archived")

    FIELDS = (
        "title_ko",
        "title_en",
        "description",
        "kind",
        "interpreter_available",
        "completion_threshold",
        "starts_on",
        "ends_on",
        "archived",
    )

    @classmethod
    def initial_for(cls, programme: Programme) -> dict:
        return {name: getattr(programme, name) for name in (*cls.FIELDS, "version")}

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A programme cannot end before it starts."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
