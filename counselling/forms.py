"""Forms of the counselling screens. They validate input and hand plain values
to counselling.services; none of them saves anything itself."""

from __future__ import annotations

import gettext as gettext_module
from functools import cache

import pycountry
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from counselling import services
from counselling.models import (
    REFERRAL_ORGANISATION_KINDS,
    RISK_INDICATORS,
    Case,
    CaseEvent,
    CaseStatus,
    CaseType,
    Child,
    Client,
    ClosureReason,
    ConsentPurpose,
    CounsellingSession,
    Document,
    DocumentCategory,
    ReferralStatus,
    SafetyPlanItem,
    Service,
)
from counselling.nationalities import with_common_countries
from ngo import access
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import CAPABILITIES, Capability
from ngo.directory.models import Organisation, OrganisationKind
from ngo.lib.codes import language_choices
from ngo.lib.forms import ShortLabelChoiceField, VersionedForm, display, style_widgets

DATE_INPUT = {"type": "date"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


# --- Helpers ------------------------------------------------------------------------------


# Common clients' languages whose Korean name pycountry's catalogue lacks.
_MISSING_NAMES = {"ko": {"km": "크메르어", "ne": "네팔어", "ms": "말레이어"}}


@cache
def _language_catalogue(language: str):
    return gettext_module.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


@cache
def _language_names() -> dict[str, str]:
    return dict(language_choices())


def _ui_language() -> str:
    return (get_language() or "ko").split("-")[0]


@cache
def _label_in(code: str, ui: str) -> str:
    name = _language_names().get(code, code)
    if ui == "en":
        return name
    return _MISSING_NAMES.get(ui, {}).get(code) or _language_catalogue(ui).gettext(name)


def language_label(code: str) -> str:
    """The language's name in the language of the page (Korean by default)."""
    return _label_in(code, _ui_language())


# The languages most clients speak (see the domain notes), offered first.
COMMON_LANGUAGES = ("ko", "vi", "zh", "tl", "km", "mn", "th", "uz", "ja", "ru", "ne", "id", "en")


def localised_language_choices() -> list:
    """ISO 639-1 languages, named and sorted in the language of the page, the
    common ones first (made once per language of the page)."""
    return _choices_in(_ui_language())


@cache
def _choices_in(ui: str) -> list:
    named = sorted(
        ((code, _label_in(code, ui)) for code, _name in language_choices()),
        key=lambda item: item[1],
    )
    common = [item for item in named if item[0] in COMMON_LANGUAGES]
    others = [item for item in named if item[0] not in COMMON_LANGUAGES]
    return [(_("Common"), common), (_("All languages"), others)]


def _blank_language_choices() -> list:
    return [("", "---------"), *localised_language_choices()]


def _model_field(model, name: str, **kwargs):
    field = model._meta.get_field(name)
    if field.null and isinstance(field, models.TextField):
        # An empty text box means "nothing" (NULL), as the model stores it, so
        # that saving an unchanged form changes nothing.
        kwargs.setdefault("empty_value", None)
    return field.formfield(**kwargs)


def _date(model, name: str, **kwargs):
    return _model_field(
        model, name, widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"), **kwargs
    )


def _datetime(model, name: str, **kwargs):
    return _model_field(
        model,
        name,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        show_hidden_initial=False,
        **kwargs,
    )


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def assignable_staff(branch_ids, *, include=()):
    """Active staff who may be assigned to cases of these branches."""
    roles = [role for role, caps in CAPABILITIES.items() if Capability.READ_CASES in caps]
    included = [user.pk for user in include]
    return (
        User.objects.filter(
            Q(is_active=True, role__in=roles, branches__in=list(branch_ids)) | Q(pk__in=included)
        )
        .distinct()
        .order_by("full_name")
    )


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({display(obj, 'role')})"


class Form(forms.Form):
    """Bootstrap-styled form (like ngo.lib.forms.StyledFormMixin). Subclasses that
    need the request's user or record set their querysets in `setup_fields`,
    which runs before the styling (the styling reads the errors, which validates
    a bound form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields()
        style_widgets(self)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"

    def setup_fields(self) -> None:
        pass

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    @property
    def has_errors(self) -> bool:
        return self.is_bound and bool(self.errors)


# --- Clients ------------------------------------------------------------------------------


class ClientForm(Form):
    name_original = _model_field(Client, "name_original")
    name_romanised = _model_field(Client, "name_romanised")
    birth_date = _date(Client, "birth_date")
    estimated_age = _model_field(Client, "estimated_age")
    nationality = with_common_countries(_model_field(Client, "nationality"))
    languages = forms.MultipleChoiceField(
        label=_("languages spoken"),
        choices=localised_language_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    interpreter_needed = _model_field(Client, "interpreter_needed")
    residence_status = _model_field(Client, "residence_status")
    visa_expiry = _date(Client, "visa_expiry")
    marital_status = _model_field(Client, "marital_status")
    phone = _model_field(Client, "phone", widget=forms.TextInput(attrs={"type": "tel"}))
    address = _model_field(Client, "address", widget=_textarea(2))
    safe_contact = _model_field(Client, "safe_contact", widget=_textarea(2))
    narrative = _model_field(Client, "narrative", widget=_textarea(5))

    CLIENT_FIELDS = services.CLIENT_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("name_original") or cleaned.get("name_romanised")):
            self.add_error(
                "name_romanised", _("Give her name in her own script or romanised (or both).")
            )
        return cleaned

    def client_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.CLIENT_FIELDS}

    @classmethod
    def initial_for(cls, client: Client) -> dict:
        return {name: getattr(client, name) for name in cls.CLIENT_FIELDS}


class ChildForm(Form):
    first_name = _model_field(Child, "first_name")
    age = _model_field(Child, "age")
    birth_date = _date(Child, "birth_date")
    lives_with_client = _model_field(Child, "lives_with_client")

    def clean(self):
        cleaned = super().clean()
        if not (
            cleaned.get("first_name") or cleaned.get("age") is not None or cleaned.get("birth_date")
        ):
            raise ValidationError(_("Give the child's first name, age or date of birth."))
        return cleaned


ChildFormSet = forms.formset_factory(ChildForm, extra=2, max_num=12, validate_max=True)


def children_values(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if form.has_changed()]


class CaseFieldsMixin(forms.Form):
    case_types = forms.MultipleChoiceField(
        label=_("case types"),
        choices=CaseType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    restricted = _model_field(Case, "restricted")
    summary = _model_field(Case, "summary", widget=_textarea(3))

    def case_values(self) -> dict:
        return {
            "case_types": self.cleaned_data["case_types"],
            "restricted": self.cleaned_data["restricted"],
            "summary": self.cleaned_data["summary"],
        }


class IntakeForm(CaseFieldsMixin, ClientForm):
    """A woman's details and her first case, in one sitting."""

    branch = forms.ModelChoiceField(label=_("branch"), queryset=None)
    assigned = StaffChoiceField(
        label=_("assigned staff"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nobody ticked: the case is assigned to you."),
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different person: register her anyway."), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs.setdefault("initial", {"assigned": [user.pk], "marital_status": "unknown"})
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        user = self.user
        self.fields["branch"].queryset = user.branches.order_by("code")
        if len(user.branch_ids()) == 1:
            self.fields["branch"].initial = next(iter(user.branch_ids()))
        self.fields["assigned"].queryset = assignable_staff(user.branch_ids(), include=[user])


class ClientEditForm(VersionedForm, ClientForm):
    """Her details, with the version of her record they were filled from."""

    @classmethod
    def initial_for(cls, client: Client) -> dict:
        return {**super().initial_for(client), "version": client.version}


class CaseOpenForm(CaseFieldsMixin, Form):
    assigned = StaffChoiceField(
        label=_("assigned staff"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nobody ticked: the case is assigned to you."),
    )

    def __init__(self, *args, client: Client, user: User, **kwargs):
        self.client, self.user = client, user
        kwargs.setdefault("initial", {"assigned": [user.pk]})
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["assigned"].queryset = assignable_staff(
            [self.client.branch_id], include=[self.user]
        )


class ConsentForm(Form):
    purpose = forms.ChoiceField(label=_("purpose"), choices=ConsentPurpose.choices)
    given = forms.BooleanField(
        label=_("She agrees"),
        required=False,
        help_text=_("Leave unticked to record a refusal or a withdrawal."),
    )
    organisation_kinds = forms.MultipleChoiceField(
        label=_("kinds of organisation (for sharing with referral organisations)"),
        choices=[(kind, OrganisationKind(kind).label) for kind in REFERRAL_ORGANISATION_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decided_on = forms.DateField(
        label=_("date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    explanation_language = forms.ChoiceField(
        label=_("language of the explanation"), choices=_blank_language_choices
    )
    interpreter_explained = forms.BooleanField(
        label=_("An interpreter explained it to her"), required=False
    )
    signed_form = forms.ModelChoiceField(
        label=_("signed form"), queryset=None, required=False, empty_label=_("(none)")
    )

    def __init__(self, *args, client: Client, user: User, **kwargs):
        self.client, self.user = client, user
        if client.languages:
            kwargs.setdefault("initial", {"explanation_language": client.languages[0]})
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        field = self.fields["signed_form"]
        field.queryset = access.scope(self.user, Document.objects.filter(client=self.client))
        field.label_from_instance = lambda document: document.title


# --- Cases ---------------------------------------------------------------------------------


class CaseStatusForm(Form):
    to = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    closed_on = forms.DateField(
        label=_("closed on"),
        required=False,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    closure_reason = forms.ChoiceField(
        label=_("closure reason"),
        choices=[("", "---------"), *ClosureReason.choices],
        required=False,
    )
    closure_note = forms.CharField(label=_("closure note"), required=False, widget=_textarea(2))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == CaseStatus.CLOSED and not cleaned.get("closure_reason"):
            self.add_error("closure_reason", _("Give the reason for closing."))
        return cleaned

    def status_values(self) -> dict:
        values = {"to": self.cleaned_data["to"]}
        if values["to"] == CaseStatus.CLOSED:
            values |= {
                "closed_on": self.cleaned_data.get("closed_on"),
                "closure_reason": self.cleaned_data.get("closure_reason") or "",
                "closure_note": self.cleaned_data.get("closure_note") or None,
            }
        return values


class AssignForm(Form):
    assigned = StaffChoiceField(
        label=_("assigned staff"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        self.current = list(case.assigned.all())
        kwargs.setdefault("initial", {"assigned": [u.pk for u in self.current]})
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["assigned"].queryset = assignable_staff(
            [self.case.branch_id], include=self.current
        )


class SessionForm(Form):
    started_at = _datetime(CounsellingSession, "started_at")
    duration_minutes = _model_field(CounsellingSession, "duration_minutes")
    mode = _model_field(CounsellingSession, "mode")
    language = forms.ChoiceField(
        label=_("language used"), choices=_blank_language_choices, required=False
    )
    interpreter_name = _model_field(CounsellingSession, "interpreter_name")
    interpreter_organisation = _model_field(CounsellingSession, "interpreter_organisation")
    services = forms.MultipleChoiceField(
        label=_("services given"),
        choices=Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = _model_field(CounsellingSession, "notes", widget=_textarea(4))
    follow_up_on = _date(CounsellingSession, "follow_up_on")

    def __init__(self, *args, case: Case | None = None, **kwargs):
        initial = {"started_at": timezone.localtime().replace(second=0, microsecond=0)}
        if case is not None and case.client.languages:
            initial["language"] = case.client.languages[0]
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)


class CaseEventForm(Form):
    kind = _model_field(CaseEvent, "kind")
    starts_at = _datetime(CaseEvent, "starts_at")
    place = _model_field(CaseEvent, "place")
    notes = _model_field(CaseEvent, "notes", widget=_textarea(2))


class RiskForm(Form):
    notes = forms.CharField(label=_("notes"), required=False, widget=_textarea(2))

    def setup_fields(self):
        indicators = {
            name: forms.BooleanField(label=label, required=False)
            for name, (_weight, label) in RISK_INDICATORS.items()
        }
        self.fields = {**indicators, "notes": self.fields["notes"]}

    def indicator_fields(self):
        return [self[name] for name in RISK_INDICATORS]

    def answers(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in RISK_INDICATORS}


class SafetyPlanForm(Form):
    next_review_on = forms.DateField(
        label=_("next review"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=_textarea(2))


class SafetyPlanItemForm(Form):
    action = _model_field(SafetyPlanItem, "action", widget=_textarea(2))
    responsible = _model_field(SafetyPlanItem, "responsible")
    due_on = _date(SafetyPlanItem, "due_on")


class SafetyPlanReviewForm(Form):
    note = forms.CharField(label=_("note"), required=False, widget=_textarea(2))
    next_review_on = forms.DateField(
        label=_("next review"),
        required=False,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


class ItemDoneForm(Form):
    done = forms.BooleanField(required=False)


class OrganisationChoiceField(ShortLabelChoiceField):
    label_columns = ("name_ko", "name_en", "kind")

    def label_from_instance(self, obj):
        return f"{obj.name} · {display(obj, 'kind')}"


class ReferralForm(Form):
    organisation = OrganisationChoiceField(label=_("organisation"), queryset=None)
    reason = forms.CharField(label=_("reason"), required=False, widget=_textarea(2))
    shares_personal_data = forms.BooleanField(
        label=_("shares her personal data"), required=False, initial=True
    )
    override_reason = forms.CharField(
        label=_("reason for sharing without consent"),
        required=False,
        widget=_textarea(2),
        help_text=_(
            "Only if she has not consented to sharing with this kind of organisation. "
            "The override is recorded in the audit log."
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        self.fields["organisation"].queryset = access.scope(
            self.user,
            Organisation.objects.filter(is_active=True, kind__in=REFERRAL_ORGANISATION_KINDS),
        )


class ReferralStatusForm(Form):
    to = forms.ChoiceField(choices=ReferralStatus.choices)


class DocumentForm(Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    file = forms.FileField(label=_("file"))

    def setup_fields(self):
        self.fields["file"].help_text = _("PDF, image or Office document; at most %(mb)d MB.") % {
            "mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
        }


class TypedDocumentForm(DocumentForm):
    """A document of hers with its category and, for papers that run out, the expiry."""

    category = forms.ChoiceField(
        label=_("category"),
        choices=DocumentCategory.choices,
        initial=DocumentCategory.OTHER,
        required=False,  # none given: "other"
    )
    expires_on = forms.DateField(
        label=_("expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    already_expired = forms.BooleanField(
        label=_("already expired"),
        required=False,
        help_text=_("Tick to store a document whose expiry date has passed."),
    )

    def document_values(self) -> dict:
        values = {
            name: self.cleaned_data[name]
            for name in ("title", "category", "expires_on", "already_expired")
        }
        values["category"] = values["category"] or DocumentCategory.OTHER
        return values


# --- Pieces the shelter and programme forms share -------------------------------------------


def date_field(label, *, required: bool = True, initial=None, help_text: str = ""):
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
    )


def case_code_field(*, required: bool = True, help_text: str = ""):
    """A woman is picked by her case code, never by name."""
    return forms.CharField(
        label=_("case code"),
        max_length=20,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "font-monospace"}),
    )


def branches_of(user):
    """The branches she may pick: hers, or all of them for those who see all."""
    if user.can(Capability.ALL_BRANCHES):
        return Branch.objects.order_by("code")
    return user.branches.order_by("code")
