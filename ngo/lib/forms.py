"""Shared form helpers: Bootstrap classes on widgets (so templates stay free of
markup logic) and a service's ValidationError onto a form."""

from django import forms
from django.core.exceptions import ValidationError


def style_widgets(form: forms.BaseForm) -> forms.BaseForm:
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form


def add_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, renames: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on the field it names when the
    form has that field (`renames` maps a service's field name to the form's),
    otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (renames or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class StyledFormMixin:
    """Bootstrap styling. Forms that set querysets or widgets at run time do it in
    `setup_fields`, which runs before the styling (the styling reads the errors,
    which validates a bound form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_fields()
        style_widgets(self)

    def setup_fields(self) -> None:
        pass

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
