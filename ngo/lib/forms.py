"""Shared form helpers: Bootstrap classes on widgets (so templates stay free of
markup logic), a service's ValidationError onto a form, and the form renderer."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


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


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def render_select(widget: dict) -> str | None:
    """The HTML Django's select.html and select_option.html make, built in Python:
    a list of countries or languages is hundreds of options, and one template
    include per option made every page with such a form slow. None when an option
    has a template of its own (then the templates render it)."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option.get("template_name") != _OPTION:
                return None
            parts.append(
                f'\n  <option value="{escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """Django's form renderer, with selects built in Python (render_select)."""

    def render(self, template_name, context, request=None):
        if template_name == _SELECT:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every part escaped above
        return super().render(template_name, context, request)
