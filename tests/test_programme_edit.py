"""The edit screen of a programme (versioned), its API twin, and archived
programmes that take no new enrolments."""

import pytest
from django.core.exceptions import ValidationError

from counselling.programmes import services as ps
from counselling.programmes.models import Enrolment, Programme
from ngo.audit.models import AuditEvent
from tests.conftest import verified_client

API = "/api/v1"


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are read in English here (Korean is the default)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    translation.activate("en")


def _form(client, url) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    initial = page.context["form"].initial
    return {k: (str(v) if v is not None else "") for k, v in initial.items() if v is not False}


def test_the_manager_renames_describes_and_archives_a_programme(programme, personas, make_case):
    manager = verified_client(personas.manager_a)
    url = f"/counselling/programmes/{programme.pk}/edit/"
    data = _form(manager, url)
    response = manager.post(
        url,
        {
            **data,
            "title_en": "Korean, first steps",
            "description": "Tuesdays, with childcare.",
            "archived": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    programme.refresh_from_db()
    assert (programme.title_en, programme.description, programme.archived) == (
        "Korean, first steps",
        "Tuesdays, with childcare.",
        True,
    )
    assert programme.version == 2
    assert AuditEvent.objects.filter(
        object_type="counselling.programme", action="update", object_id=str(programme.pk)
    ).exists()
    page = manager.get(f"/counselling/programmes/{programme.pk}/").content.decode()
    assert "Tuesdays, with childcare." in page and "archived" in page
    # Archived: no new enrolment, on screen or by the service.
    case = make_case()
    with pytest.raises(ValidationError, match="archived"):
        ps.enrol(actor=personas.manager_a, programme=programme, client=case.client)
    refused = manager.post(
        f"/counselling/programmes/{programme.pk}/enrolments/",
        {"enrol-case_code": case.client.case_code},
    )
    assert "This programme is archived" in refused.content.decode()
    assert not Enrolment.objects.exists()


def test_a_stale_programme_edit_keeps_the_other_save(programme, personas):
    manager = verified_client(personas.manager_a)
    url = f"/counselling/programmes/{programme.pk}/edit/"
    data = _form(manager, url)
    ps.programme_update(actor=personas.admin, programme=programme, title_en="Saved meanwhile")
    response = manager.post(url, {**data, "title_en": "Mine"})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert Programme.objects.get().title_en == "Saved meanwhile"


def test_bad_dates_are_refused_with_a_message(programme, personas):
    manager = verified_client(personas.manager_a)
    url = f"/counselling/programmes/{programme.pk}/edit/"
    data = _form(manager, url)
    response = manager.post(url, {**data, "ends_on": "2000-01-01"})
    assert "A programme cannot end before it starts." in response.content.decode()
    response = manager.post(url, {**data, "starts_on": "not a date"})
    assert response.status_code == 200 and response.context["form"].errors["starts_on"]
    assert Programme.objects.get().version == 1


@pytest.mark.parametrize("persona", ["counsellor_b", "coordinator", "policy_officer"])
def test_others_may_not_edit(programme, personas, persona):
    client = verified_client(getattr(personas, persona))
    assert client.get(f"/counselling/programmes/{programme.pk}/edit/").status_code == 404


def test_a_counsellor_of_the_branch_reads_but_does_not_edit(programme, personas):
    client = verified_client(personas.counsellor_a)
    assert client.get(f"/counselling/programmes/{programme.pk}/").status_code == 200
    assert client.get(f"/counselling/programmes/{programme.pk}/edit/").status_code == 403


def test_the_api_archives_with_if_match(programme, personas):
    api = verified_client(personas.manager_a)
    got = api.get(f"{API}/programmes/{programme.pk}/")
    assert got.status_code == 200 and got["ETag"] == '"1"'
    assert got.json()["archived"] is False and got.json()["description"] == ""
    stale = api.patch(
        f"{API}/programmes/{programme.pk}/",
        {"archived": True},
        content_type="application/json",
        HTTP_IF_MATCH='"3"',
    )
    assert stale.status_code == 412
    done = api.patch(
        f"{API}/programmes/{programme.pk}/",
        {"archived": True, "description": "Spring term"},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert done.status_code == 200, done.content
    assert done.json()["archived"] is True and done["ETag"] == '"2"'
    bad = api.patch(
        f"{API}/programmes/{programme.pk}/", {"archived": "maybe"}, content_type="application/json"
    )
    assert bad.status_code == 400
