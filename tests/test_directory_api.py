"""The shared directory through the API: contact people (whose e-mail and phone
volunteers never see), tags as a filter, authorities, the duplicate-name
warning, and the CSV import's row-by-row report."""

import pytest

from ngo.audit.models import AuditAction, AuditEvent
from ngo.directory import services as ds
from ngo.directory.models import ContactPerson, Organisation, Tag
from tests.conftest import verified_client

API = "/api/v1"


def english_client(user):
    """A verified session that reads messages in English (Korean is the default)."""
    client = verified_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


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
READERS = set(PERSONAS) - {"auditor"}
WRITERS = {"counsellor_a", "counsellor_b", "manager_a", "coordinator", "admin"}
SEES_CONTACT_DETAILS = READERS - {"volunteer"}


def send(api, method, url, data=None):
    return getattr(api, method)(f"{API}/{url}", data or {}, content_type="application/json")


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Contact people ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_contact_details_are_shown_to_staff_but_never_to_volunteers(
    personas, campaign_world, persona
):
    api = english_client(getattr(personas, persona))
    w = campaign_world
    listed = api.get(f"{API}/organisations/?q=Forum")
    one = api.get(f"{API}/organisations/{w.mfa.pk}/")
    contacts = api.get(f"{API}/organisation-contacts/?organisation={w.mfa.pk}")
    contact = api.get(f"{API}/organisation-contacts/{w.contact.pk}/")
    if persona not in READERS:
        assert _ids(listed) == [] and one.status_code == 404 and contact.status_code == 404
        return
    bodies = [
        listed.json()["results"][0]["contacts"][0],
        one.json()["contacts"][0],
        contacts.json()["results"][0],
        contact.json(),
    ]
    for body in bodies:
        assert body["name"] == "Ana Reyes" and body["title"] == "Gender Task Force"
        if persona in SEES_CONTACT_DETAILS:
            assert body["email"] == "ana@mfa.example.org"
            assert body["phone"] == "+63-2-555-0101"
        else:
            assert "email" not in body and "phone" not in body
    raw = b"".join(r.content for r in (listed, one, contacts, contact))
    assert (b"ana@mfa.example.org" in raw) == (persona in SEES_CONTACT_DETAILS)
    assert (b"555-0101" in raw) == (persona in SEES_CONTACT_DETAILS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_contact_people_are_written_by_directory_writers(personas, campaign_world, persona):
    api = english_client(getattr(personas, persona))
    w = campaign_world
    created = send(
        api,
        "post",
        "organisation-contacts/",
        {"organisation": w.jcmk.pk, "name": "Kim Minji", "email": "minji@example.org"},
    )
    expected = 201 if persona in WRITERS else 403 if persona in READERS else 404
    assert created.status_code == expected, created.content
    changed = send(api, "patch", f"organisation-contacts/{w.contact.pk}/", {"title": "Chair"})
    assert changed.status_code == (200 if persona in WRITERS else expected)
    assert ContactPerson.objects.filter(name="Kim Minji").exists() == (persona in WRITERS)


def test_contact_needs_a_name_and_a_valid_email(personas, campaign_world):
    api = english_client(personas.coordinator)
    response = send(
        api,
        "post",
        "organisation-contacts/",
        {"organisation": campaign_world.jcmk.pk, "email": "not-an-email"},
    )
    assert response.status_code == 400
    assert "email" in response.json()["error"]["fields"]
    nameless = send(api, "post", "organisation-contacts/", {"organisation": campaign_world.jcmk.pk})
    assert "name" in nameless.json()["error"]["fields"]
    assert ContactPerson.objects.count() == 1


# --- Tags, kinds and authorities --------------------------------------------------------------


def test_tags_are_shared_rows_and_filterable(personas, campaign_world):
    api = english_client(personas.volunteer)
    w = campaign_world
    assert set(_ids(api.get(f"{API}/organisations/?tag=migrants"))) == {w.mfa.pk, w.jcmk.pk}
    assert _ids(api.get(f"{API}/organisations/?tag=INTERNATIONAL")) == [w.mfa.pk]
    assert Tag.objects.filter(name="migrants").count() == 1
    coordinator = english_client(personas.coordinator)
    changed = send(
        coordinator, "patch", f"organisations/{w.jcmk.pk}/", {"tags": ["Migrants", "labour"]}
    )
    assert changed.status_code == 200
    assert sorted(changed.json()["tags"]) == ["labour", "migrants"]


def test_authorities_are_filterable_and_only_public_bodies_have_one(personas, campaign_world):
    api = english_client(personas.coordinator)
    w = campaign_world
    assert _ids(api.get(f"{API}/organisations/?is_authority=true")) == [w.ministry.pk]
    assert _ids(api.get(f"{API}/organisations/?authority_type=ministry")) == [w.ministry.pk]
    refused = send(
        api,
        "post",
        "organisations/",
        {"name_en": "A church", "kind": "religious_body", "authority_type": "ministry"},
    )
    assert refused.status_code == 400
    assert "government body" in str(refused.json()["error"])
    un = send(
        api,
        "post",
        "organisations/",
        {"name_en": "CEDAW Committee", "kind": "international", "authority_type": "un_body"},
    )
    assert un.status_code == 201 and un.json()["authority_type"] == "un_body"


# --- Duplicate names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        {"name_en": "migrant forum in asia"},
        {"name_en": "  Migrant  Forum in ASIA "},
        {"name_ko": "이주민과함께하는 공동위원회"},
        {"name_ko": "다른 이름", "name_en": "jcmk"},
    ],
)
def test_a_known_name_is_a_warning_naming_the_existing_organisation(
    personas, campaign_world, values
):
    api = english_client(personas.coordinator)
    before = Organisation.objects.count()
    response = send(api, "post", "organisations/", {**values, "kind": "ngo"})
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert error["code"] == "possible_duplicate"
    assert len(error["matches"]) == 1
    assert error["matches"][0]["id"] in (campaign_world.mfa.pk, campaign_world.jcmk.pk)
    assert Organisation.objects.count() == before
    confirmed = send(
        api, "post", "organisations/", {**values, "kind": "ngo", "confirm_duplicate": True}
    )
    assert confirmed.status_code == 201
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, reason="duplicate_confirmed"
    ).exists()


def test_renaming_onto_another_name_is_a_warning(personas, campaign_world):
    api = english_client(personas.coordinator)
    url = f"organisations/{campaign_world.jcmk.pk}/"
    assert send(api, "patch", url, {"name_en": "Migrant Forum in Asia"}).status_code == 409
    assert send(api, "patch", url, {"name_en": "JCMK", "notes": "x"}).status_code == 200
    confirmed = send(api, "patch", url, {"name_en": "MFA", "confirm_duplicate": True})
    assert confirmed.status_code == 200


# --- CSV import -------------------------------------------------------------------------------

GOOD_AND_BAD = (
    "기관명,영문 이름,유형,국가,범위,웹사이트,태그,메모\n"
    "한국이주여성인권센터,Korea Migrant Women Human Rights Center,NGO,KR,national,https://wmigrant.org,여성;이주,\n"
    ",Asia Pacific Forum on Women Law and Development,international,TH,international,,women,\n"
    "이상한 기관,Strange,circus,KR,,,,\n"
    ",Amnesty International,international,XX,,,,\n"
    ",No website,ngo,KR,,not a url,,\n"
    ",,ngo,KR,,,,\n"
    "한국이주여성인권센터,,ngo,KR,,,,\n"
    ",migrant forum in asia,international,PH,,,,\n"
    "노동조합,Migrant Trade Union,노동조합,kr,지역,,,\n"
)


def _import(api, content: bytes, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.post(
        f"{API}/organisations/import/",
        {"file": SimpleUploadedFile("orgs.csv", content, "text/csv"), **extra},
    )


def test_import_reports_each_row_and_saves_only_good_ones(personas, campaign_world):
    api = english_client(personas.coordinator)
    before = Organisation.objects.count()
    response = _import(api, GOOD_AND_BAD.encode("utf-8-sig"))
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["error"] == ""
    rows = {row["line"]: row for row in report["rows"]}
    assert {line: row["status"] for line, row in rows.items()} == {
        2: "created",
        3: "created",
        4: "refused",
        5: "refused",
        6: "refused",
        7: "refused",
        8: "duplicate",
        9: "duplicate",
        10: "created",
    }
    assert report["created"] == 3 and report["refused"] == 6
    assert "circus" in rows[4]["messages"][0]
    assert any("XX" in m for m in rows[5]["messages"])
    assert rows[6]["messages"] and rows[7]["messages"]
    assert "line 2" in rows[8]["messages"][0]
    assert "Migrant Forum in Asia" in rows[9]["messages"][0]
    assert Organisation.objects.count() == before + 3
    centre = Organisation.objects.get(pk=rows[2]["organisation_id"])
    assert centre.website == "https://wmigrant.org"
    assert sorted(centre.tag_names) == ["여성", "이주"]
    union = Organisation.objects.get(name_en="Migrant Trade Union")
    assert (union.kind, union.scope, union.country.code) == ("labour_union", "local", "KR")
    assert not Organisation.objects.filter(
        name_en__in=["Strange", "Amnesty International"]
    ).exists()
    assert (
        AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="directory.organisation")
        .filter(
            object_id__in=[
                str(r["organisation_id"]) for r in report["rows"] if r["organisation_id"]
            ]
        )
        .count()
        == 3
    )


def test_import_accepts_english_headers_without_bom_and_can_confirm_duplicates(
    personas, campaign_world
):
    api = english_client(personas.coordinator)
    content = "name_en,kind,country\nMigrant Forum in Asia,international,PH\nARENA,ngo,HK\n"
    plain = _import(api, content.encode("utf-8")).json()
    assert [r["status"] for r in plain["rows"]] == ["duplicate", "created"]
    confirmed = _import(api, content.encode("utf-8"), confirm_duplicates="true").json()
    assert [r["status"] for r in confirmed["rows"]] == ["created", "created"]
    reasons = set(
        AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="directory.organisation")
        .exclude(reason="")
        .values_list("reason", flat=True)
    )
    assert reasons == {"csv_import", "csv_import,duplicate_confirmed"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name_en,kind\nX,ngo\n".encode("utf-16"), "UTF-8"),
        (b"\xef\xbb\xbf", "empty"),
        (b"foo,bar\n1,2\n", "name_ko"),
        (b"name_en,country\nX,KR\n", "kind"),
    ],
)
def test_import_refuses_unreadable_files_with_a_reason(personas, content, message):
    api = english_client(personas.coordinator)
    report = _import(api, content).json()
    assert message in report["error"] and report["rows"] == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_directory_writers_import(personas, persona):
    api = english_client(getattr(personas, persona))
    response = _import(api, b"name_en,kind\nNew Partner,ngo\n")
    assert response.status_code == (200 if persona in WRITERS else 403)
    assert Organisation.objects.filter(name_en="New Partner").exists() == (persona in WRITERS)


def test_tag_migration_helper_keeps_names_unique(personas):
    org = ds.organisation_create(
        actor=personas.admin, name_en="A", kind="ngo", tags=["x", "X", " x "]
    )
    assert org.tag_names == ["x"]
