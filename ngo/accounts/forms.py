from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Role
from ngo.lib.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail address or password is not correct."),
        "inactive": _("This account is not active."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class ApiTokenForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script that uses it."),
        error_messages={
            "required": _("Give the token a name, e.g. the script it is for."),
            "max_length": _("Use at most 100 characters for the name."),
        },
    )


class StaffForm(forms.ModelForm):
    """Used by the Django admin; saving goes through the staff services."""

    branches = forms.ModelMultipleChoiceField(
        queryset=Branch.objects.all(), required=False, label=_("branches")
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "role", "branches", "is_active", "preferred_language"]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        branches = cleaned.get("branches")
        branch_roles = {Role.COUNSELLOR, Role.SHELTER_WORKER, Role.BRANCH_MANAGER}
        if role in branch_roles and not branches:
            self.add_error("branches", _("This role needs at least one branch."))
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned
