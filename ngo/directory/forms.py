"""Forms of the directory's screens. They validate shapes; the views pass the
cleaned data to ngo.directory.services, which apply the rules and save. Edit
forms are bound to a copy of the record, so that the service still sees what
changed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ngo.directory.models import ContactPerson, Organisation
from ngo.lib.forms import StyledFormMixin, VersionedForm


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class TagsField(forms.CharField):
    """Tags separated by commas."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [tag.strip() for tag in text.replace(";", ",").split(",") if tag.strip()]


class OrganisationForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    website = forms.URLField(
        label=_("website"), max_length=200, required=False, assume_scheme="https"
    )
    tags = TagsField(label=_("tags"), required=False, help_text=_("Separated by commas."))
    confirm_duplicate = forms.BooleanField(
        label=_("Create anyway: this is a different organisation"), required=False
    )

    class Meta:
        model = Organisation
        fields = [
            "name_ko",
            "name_en",
            "kind",
            "authority_type",
            "country",
            "scope",
            "website",
            "email",
            "phone",
            "notes",
            "is_active",
        ]
        widgets = {"notes": _textarea(3)}

    # The entries already under this name, once the service has found some.
    matches = ()

    def __init__(self, *args, show_confirm: bool = False, **kwargs):
        self.show_confirm = show_confirm
        super().__init__(*args, **kwargs)

    def setup_fields(self):
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = self.instance.tag_names
        if not self.show_confirm:
            self.fields["confirm_duplicate"].widget = forms.HiddenInput()


class ContactForm(StyledFormMixin, VersionedForm, forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "title", "email", "phone", "notes", "is_active"]
        widgets = {"notes": _textarea(2)}


class OrganisationImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8 (with or without BOM), first row with the column names."),
    )
    confirm_duplicates = forms.BooleanField(
        label=_("Create rows whose name is already in the directory"), required=False
    )
