"""Shared form helpers: Bootstrap classes on widgets (so templates stay free of
markup logic), a service's ValidationError onto a form, and the form renderer."""

import functools

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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


@functools.cache
def _choice_labels(model: type[models.Model], field_name: str, language: str | None) -> dict:
    field = model._meta.get_field(field_name)
    return {value: str(label) for value, label in field.flatchoices}


def display(obj: models.Model, field_name: str) -> str:
    """`obj.get_<field>_display()` for the label of a long list of options. Django's
    rebuilds and translates every label of the field at each call, which a list of
    two thousand organisations asked two thousand times; these are built once per
    language."""
    value = getattr(obj, field_name)
    return _choice_labels(type(obj), field_name, get_language()).get(value, value)


class _LabelColumnsIterator(forms.models.ModelChoiceIterator):
    def __init__(self, field):
        super().__init__(field)
        if field.label_columns and self.queryset is not None:
            self.queryset = self.queryset.only(*field.label_columns)


class ShortLabelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options read only the columns their labels need
    (`label_columns`): two thousand organisations in a select otherwise build two
    thousand full records, a country object each. Validation reads the whole record."""

    label_columns: tuple[str, ...] = ()
    iterator = _LabelColumnsIterator


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


# --- Versions: an edit form carries the version it showed ------------------------------


class VersionedForm(forms.Form):
    """An edit form of a versioned record (ngo.lib.versions) sends back, in a
    hidden field, the version of the record it was filled from; the view gives
    it to the service as `expected_version` (`version_of(form)`), and a save
    after someone else's is refused rather than written over hers. Mix it in
    before forms.Form or forms.ModelForm; a ModelForm's instance gives the
    version, a plain form's `initial` does."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None and "version" not in self.initial:
            self.initial["version"] = getattr(instance, "version", None)


def version_of(form: forms.BaseForm) -> int | None:
    """The version an edit form was filled from (None if it does not say)."""
    return form.cleaned_data.get("version")


class SavedMeanwhile:
    """What another person saved in one field while she was editing: shown under
    the field (includes/field.html) next to what she typed."""

    def __init__(self, text: str, version: int | None):
        self.text = text
        self.version = version

    def __str__(self):
        return self.text


def _shown(field: forms.Field, value) -> str:
    """A saved value as the form would name it: choice labels, record names."""
    if value in (None, "", [], ()):
        return str(_("(empty)"))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if hasattr(value, "all") and callable(value.all):  # a many-to-many manager
        value = list(value.all())
    labels = {}
    if hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
        for key, label in field.choices:
            if isinstance(label, list | tuple):  # a group of choices
                labels.update((str(k), v) for k, v in label)
            else:
                labels[str(key)] = label
    values = value if isinstance(value, list | tuple | set) else [value]
    return ", ".join(
        str(item) if isinstance(item, models.Model) else str(labels.get(str(item), item))
        for item in values
    )


def _comparable(value):
    if value in (None, "", [], ()):
        return ""
    if hasattr(value, "all") and callable(value.all):
        value = list(value.all())
    if isinstance(value, list | tuple | set | frozenset) or hasattr(value, "model"):
        return sorted(str(v) for v in value)  # records by name: tags come back as names
    return getattr(value, "pk", value)


def show_saved_meanwhile(form: forms.BaseForm, current, mine: dict) -> list[str]:
    """Mark each field where the record as saved now (`current`) differs from
    what she sent (`mine`, her cleaned values), and point the hidden version at
    the saved one, so that her next save, once she has merged, goes through.
    Her typed values stay as they are. Returns the names marked."""
    marked = []
    for name, field in form.fields.items():
        if name == "version" or name not in mine:
            continue
        try:
            saved = getattr(current, name)
        except (AttributeError, ValueError):
            continue
        if _comparable(saved) == _comparable(mine[name]):
            continue
        field.saved_meanwhile = SavedMeanwhile(_shown(field, saved), current.version)
        marked.append(name)
    if form.is_bound:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(current.version)
    return marked
