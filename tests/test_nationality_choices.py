"""The nationality list of the intake and client forms: the centre's common
countries first, then every country alphabetically in the reader's language."""

import re

import pytest
from django.utils import translation

from counselling.forms import ClientEditForm, IntakeForm
from counselling.nationalities import COMMON_COUNTRIES, nationality_choices
from tests.conftest import verified_client


def _groups(language):
    with translation.override(language):
        empty, (common_label, common), (all_label, everyone) = nationality_choices()
    return empty, common_label, common, all_label, everyone


def test_the_common_countries_come_first_in_the_centre_order():
    empty, _label, common, _all, _everyone = _groups("en")
    assert empty == ("", "---------")
    assert [code for code, _name in common] == list(COMMON_COUNTRIES)
    assert dict(common)["VN"] == "Vietnam" and dict(common)["KG"] == "Kyrgyzstan"


@pytest.mark.parametrize(("language", "vietnam"), [("en", "Vietnam"), ("ko", "베트남")])
def test_then_every_country_alphabetically_in_the_current_language(language, vietnam):
    _e, _label, common, _all, everyone = _groups(language)
    names = [name for _code, name in everyone]
    assert names == sorted(names)
    assert len(everyone) > 240
    assert dict(common)["VN"] == vietnam == dict(everyone)["VN"]


def test_the_korean_list_is_in_hangul_order_with_korean_group_names():
    _e, common_label, _common, all_label, everyone = _groups("ko")
    assert (common_label, all_label) == ("주요 국적", "모든 국가")
    assert everyone[0][1].startswith("가")


@pytest.mark.parametrize("path", ["intake", "edit"])
def test_both_forms_show_the_groups_and_accept_a_common_country(personas, make_case, path):
    case = make_case(actor=personas.counsellor_a)
    url = (
        "/counselling/intake/"
        if path == "intake"
        else f"/counselling/clients/{case.client_id}/edit/"
    )
    html = verified_client(personas.counsellor_a).get(url, HTTP_ACCEPT_LANGUAGE="en")
    select = re.search(r'<select name="nationality".*?</select>', html.content.decode(), re.S)
    assert select, "no nationality select"
    groups = re.findall(r'<optgroup label="([^"]+)">', select.group(0))
    assert groups == ["Most common", "All countries"]
    first = re.findall(r'<option value="([A-Z]{2})"', select.group(0))
    assert first[: len(COMMON_COUNTRIES)] == list(COMMON_COUNTRIES)


def test_a_country_from_either_group_validates_and_a_bad_code_is_refused(personas):
    user = personas.counsellor_a
    data = {"name_romanised": "Lan", "marital_status": "married", "case_types": ["labour"]}
    for code in ("KH", "FR"):
        form = IntakeForm({**data, "nationality": code}, user=user)
        form.is_valid()
        assert "nationality" not in form.errors
    with translation.override("en"):
        bad = IntakeForm({**data, "nationality": "XX"}, user=user)
        assert "Select a valid choice" in bad.errors["nationality"][0]
        edit_choices = list(ClientEditForm.base_fields["nationality"].choices)
    assert edit_choices[1][0] == "Most common"
