"""The directory's screens (/directory/) through HTTP: each persona gets what
the directory's access rule gives her through the API, the old addresses under
/campaigns/ lead to the new ones, other apps add their panels to the
organisation page, and the directory depends on no domain app."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

from ngo.directory import panels
from ngo.directory.models import ContactPerson, Organisation
from tests.conftest import verified_client

PERSONAS = [
    "counsellor_a",
    "counsellor_b",
    "manager_a",
    "shelter_worker_a",
    "coordinator",
    "policy_officer",
    "auditor",
    "volunteer",
    "admin",
]
# As the API grants them (tests/test_directory_api.py): the directory's one rule.
READERS = set(PERSONAS) - {"auditor"}
WRITERS = {"counsellor_a", "counsellor_b", "manager_a", "coordinator", "admin"}


def english_client(user):
    client = verified_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def read_pages(w):
    return ["/directory/organisations/", f"/directory/organisations/{w.mfa.pk}/"]


def write_pages(w):
    return [
        "/directory/organisations/new/",
        "/directory/organisations/import/",
        f"/directory/organisations/{w.mfa.pk}/edit/",
        f"/directory/organisations/{w.mfa.pk}/contacts/new/",
        f"/directory/contacts/{w.contact.pk}/edit/",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_the_screens_the_directory_rule_gives_her(
    personas, campaign_world, persona
):
    client = verified_client(getattr(personas, persona))
    w = campaign_world
    reads = persona in READERS
    for url in read_pages(w):
        assert client.get(url).status_code == (200 if reads else 404), url
    for url in write_pages(w):
        expected = 200 if persona in WRITERS else 403 if reads else 404
        assert client.get(url).status_code == expected, url
    # The API answers the same, through the same rule.
    api = client.get(f"/api/v1/organisations/{w.mfa.pk}/")
    assert api.status_code == (200 if reads else 404)


@pytest.mark.parametrize("persona", ["shelter_worker_a", "policy_officer", "volunteer", "auditor"])
def test_who_may_not_write_saves_nothing_through_the_screens(personas, campaign_world, persona):
    client = verified_client(getattr(personas, persona))
    w = campaign_world
    expected = 404 if persona == "auditor" else 403
    created = client.post(
        "/directory/organisations/new/", {"name_en": "New Group", "kind": "ngo", "country": "KR"}
    )
    assert created.status_code == expected
    edited = client.post(
        f"/directory/organisations/{w.jcmk.pk}/edit/",
        {"name_en": "Renamed", "kind": "ngo", "country": "KR", "scope": "national"},
    )
    assert edited.status_code == expected
    contact = client.post(f"/directory/organisations/{w.jcmk.pk}/contacts/new/", {"name": "Kim"})
    assert contact.status_code == expected
    assert not Organisation.objects.filter(name_en__in=["New Group", "Renamed"]).exists()
    assert not ContactPerson.objects.filter(name="Kim").exists()


def test_a_counsellor_adds_a_contact_person_through_the_screen(personas, campaign_world):
    client = english_client(personas.counsellor_a)
    url = f"/directory/organisations/{campaign_world.jcmk.pk}/contacts/new/"
    response = client.post(url, {"name": "Kim Minji", "email": "minji@example.org"})
    assert response.status_code == 302
    assert response["Location"] == f"/directory/organisations/{campaign_world.jcmk.pk}/#contacts"
    assert ContactPerson.objects.filter(name="Kim Minji", organisation=campaign_world.jcmk).exists()


def test_old_campaigns_addresses_redirect_to_the_directory(personas, campaign_world):
    client = verified_client(personas.coordinator)
    w = campaign_world
    moves = {
        "/campaigns/organisations/": "/directory/organisations/",
        "/campaigns/organisations/?tag=migrants": "/directory/organisations/?tag=migrants",
        "/campaigns/organisations/new/": "/directory/organisations/new/",
        "/campaigns/organisations/import/": "/directory/organisations/import/",
        f"/campaigns/organisations/{w.mfa.pk}/": f"/directory/organisations/{w.mfa.pk}/",
        f"/campaigns/organisations/{w.mfa.pk}/edit/": f"/directory/organisations/{w.mfa.pk}/edit/",
        f"/campaigns/organisations/{w.mfa.pk}/contacts/new/": (
            f"/directory/organisations/{w.mfa.pk}/contacts/new/"
        ),
        f"/campaigns/contacts/{w.contact.pk}/edit/": f"/directory/contacts/{w.contact.pk}/edit/",
    }
    for old, new in moves.items():
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new, old
        assert client.get(new).status_code == 200, new


def test_the_redirect_does_not_open_the_page_to_someone_outside_the_rule(personas, campaign_world):
    client = verified_client(personas.auditor)
    response = client.get(f"/campaigns/organisations/{campaign_world.mfa.pk}/", follow=True)
    assert response.status_code == 404


def test_the_campaign_panel_is_on_the_organisation_page_of_a_coordinator(personas, campaign_world):
    w = campaign_world
    html = english_client(personas.coordinator).get(f"/directory/organisations/{w.jcmk.pk}/")
    assert html.status_code == 200
    text = html.content.decode()
    assert 'id="partnership"' in text
    assert "Make the social-integration course optional" in text  # campaign, led by it
    assert f"/campaigns/coalitions/{w.coalition.pk}/" in text  # the coalition it is in
    assert "Press conference" in text  # an action it took part in
    assert f"/campaigns/sign-ons/{w.sign_on.pk}/" in text  # the letter it signed
    assert 'id="referrals"' in text  # counselling's panel: a count
    ministry = english_client(personas.coordinator).get(
        f"/directory/organisations/{w.ministry.pk}/"
    )
    assert "Make the 250-hour course optional" in ministry.content.decode()  # demand to it


def test_a_panel_that_returns_none_adds_nothing(personas, campaign_world, monkeypatch):
    seen = []

    def quiet_panel(user, organisation):
        seen.append((user.pk, organisation.pk))
        return None

    monkeypatch.setattr(panels, "_PANELS", [quiet_panel])
    html = verified_client(personas.coordinator).get(
        f"/directory/organisations/{campaign_world.jcmk.pk}/"
    )
    assert html.status_code == 200
    assert seen == [(personas.coordinator.pk, campaign_world.jcmk.pk)]
    assert 'id="partnership"' not in html.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_menu_links_the_directory_for_its_readers(personas, persona):
    html = verified_client(getattr(personas, persona)).get("/accounts/dashboard/")
    assert html.status_code == 200
    assert ('href="/directory/organisations/"' in html.content.decode()) == (persona in READERS)


def test_the_directory_imports_no_domain_app():
    domain_apps = {"counselling", "campaigns", "policy_monitor"}
    root = Path(settings.BASE_DIR) / "ngo" / "directory"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in domain_apps, f"{path}: imports {name}"
