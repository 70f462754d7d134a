"""Selects built in Python are the HTML Django's own templates make."""

from django import forms
from django.forms.renderers import DjangoTemplates

from ngo.lib.forms import FormRenderer


class _Form(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "Apple"), ("b", 'B & "quotes" <b>')])
    grouped = forms.ChoiceField(
        choices=[
            ("", "---------"),
            ("Common", [("ko", "한국어"), ("vi", "Tiếng Việt")]),
            ("x", "X"),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")])
    required_attr = forms.ChoiceField(
        choices=[("1", "One")], widget=forms.Select(attrs={"class": "form-select", "data-x": 'a"b'})
    )


def _render(renderer, data=None):
    form = _Form(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


def test_selects_are_the_same_html_as_djangos_templates():
    data = {"plain": "b", "grouped": "vi", "many": ["1", "3"], "required_attr": "1"}
    for bound in (None, data):
        ours, django = _render(FormRenderer(), bound), _render(DjangoTemplates(), bound)
        assert ours == django
    assert "selected>Tiếng Việt" in _render(FormRenderer(), data)["grouped"]
    assert "B &amp; &quot;quotes&quot; &lt;b&gt;" in _render(FormRenderer())["plain"]


def test_the_project_renders_forms_with_it(settings):
    assert settings.FORM_RENDERER == "ngo.lib.forms.FormRenderer"
    assert isinstance(forms.Form().renderer or _default_renderer(), FormRenderer)


def _default_renderer():
    from django.forms.renderers import get_default_renderer

    return get_default_renderer()
