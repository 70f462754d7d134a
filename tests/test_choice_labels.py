"""Long selects: options read only the columns of their labels, labels follow the
reader's language, and the chosen option is still validated against the whole list."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from counselling.forms import OrganisationChoiceField
from ngo.directory.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def hospital():
    return Organisation.objects.create(
        name_en="Seoul Medical Centre", name_ko="서울의료원", kind="hospital", country="PH"
    )


def _options(field):
    with CaptureQueriesContext(connection) as captured:
        options = [(str(value), label) for value, label in field.choices if value]
    return options, captured.captured_queries


def test_options_read_only_the_label_columns(hospital):
    Organisation.objects.create(name_en="Korea Legal Aid", kind="legal_aid")
    field = OrganisationChoiceField(queryset=Organisation.objects.all())
    with translation.override("en"):
        options, queries = _options(field)
    assert (str(hospital.pk), "Seoul Medical Centre · Hospital") in options
    assert len(options) == 2
    [select] = queries
    assert '"name_en"' in select["sql"] and '"kind"' in select["sql"]
    for unread in ('"country"', '"notes"', '"email"', '"website"'):
        assert unread not in select["sql"]


def test_labels_follow_the_language_of_the_reader(hospital):
    field = OrganisationChoiceField(queryset=Organisation.objects.all())
    with translation.override("ko"):
        korean = dict(_options(field)[0])[str(hospital.pk)]
        expected_kind = str(OrganisationKind.HOSPITAL.label)
    with translation.override("en"):
        english = dict(_options(field)[0])[str(hospital.pk)]
    assert expected_kind != "Hospital"
    assert korean.endswith(f" · {expected_kind}")
    assert english.endswith(" · Hospital")


def test_the_chosen_option_is_the_whole_record_and_others_are_refused(hospital):
    other = Organisation.objects.create(name_en="Elsewhere", kind="ngo")
    field = OrganisationChoiceField(queryset=Organisation.objects.filter(kind="hospital"))
    chosen = field.clean(str(hospital.pk))
    assert chosen == hospital
    with CaptureQueriesContext(connection) as captured:
        assert chosen.country.code == "PH"
    assert captured.captured_queries == []
    with pytest.raises(ValidationError):
        field.clean(str(other.pk))
