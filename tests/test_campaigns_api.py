"""The campaigns REST API through HTTP: who reads and writes what (per
endpoint and persona), bad input as 400s that save nothing, signatory
deduplication, membership history, the outcome rule, the signatory exports
and their audit, the network graph, and list query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from campaigns import services as cs
from campaigns.models import (
    Campaign,
    CampaignAction,
    CampaignTask,
    Coalition,
    Demand,
    Membership,
    Signatory,
    SignOn,
)
from ngo.audit.models import AuditAction, AuditEvent
from ngo.directory import services as ds
from tests.conftest import content_of, verified_client

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
# Everyone with the campaigns capability reads; the auditor has none.
READERS = set(PERSONAS) - {"auditor"}
WRITERS = {"coordinator"}


def expected(persona: str, success: int) -> int:
    if persona in WRITERS:
        return success
    if persona in READERS:
        return 403
    return 404


def send(api, method, url, data=None):
    if method == "get":
        return api.get(f"{API}/{url}")
    return getattr(api, method)(f"{API}/{url}", data or {}, content_type="application/json")


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _fields(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


# --- Reading, per endpoint and persona ---------------------------------------------------------

RECORDS = {
    "coalitions": lambda w: w.coalition,
    "memberships": lambda w: w.current,
    "campaigns": lambda w: w.campaign,
    "demands": lambda w: w.demand,
    "campaign-actions": lambda w: w.action,
    "sign-ons": lambda w: w.sign_on,
    "signatories": lambda w: w.signatory,
    "campaign-tasks": lambda w: w.task,
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", list(RECORDS))
def test_campaign_records_are_read_by_staff_and_volunteers_not_the_auditor(
    personas, campaign_world, persona, endpoint
):
    api = english_client(getattr(personas, persona))
    record = RECORDS[endpoint](campaign_world)
    reads = persona in READERS
    assert (record.pk in _ids(send(api, "get", f"{endpoint}/"))) == reads
    assert send(api, "get", f"{endpoint}/{record.pk}/").status_code == (200 if reads else 404)


# --- Writing, per endpoint and persona ---------------------------------------------------------


def _creates(w):
    today = timezone.localdate().isoformat()
    return {
        "coalitions": (Coalition, {"name_en": "Universal Birth Registration Network"}),
        "memberships": (
            Membership,
            {"coalition": w.coalition.pk, "organisation": w.ministry.pk, "role": "observer"},
        ),
        "campaigns": (Campaign, {"title": "Right to education of migrant children"}),
        "demands": (
            Demand,
            {"campaign": w.campaign.pk, "text": "Repeal it", "addressed_to": w.ministry.pk},
        ),
        "campaign-actions": (
            CampaignAction,
            {
                "campaign": w.campaign.pk,
                "action_type": "rally",
                "title": "Rally at Gwanghwamun",
                "occurred_on": today,
            },
        ),
        "sign-ons": (SignOn, {"campaign": w.campaign.pk, "title": "Petition"}),
        "signatories": (Signatory, {"sign_on": w.sign_on.pk, "organisation": w.mfa.pk}),
        "campaign-tasks": (CampaignTask, {"campaign": w.campaign.pk, "title": "Book the hall"}),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "endpoint",
    [
        "coalitions",
        "memberships",
        "campaigns",
        "demands",
        "campaign-actions",
        "sign-ons",
        "signatories",
        "campaign-tasks",
    ],
)
@pytest.mark.dates_as_data
def test_only_coordinators_create_campaign_records(personas, campaign_world, persona, endpoint):
    model, values = _creates(campaign_world)[endpoint]
    before = model.objects.count()
    response = send(english_client(getattr(personas, persona)), "post", f"{endpoint}/", values)
    if endpoint in ("coalitions", "campaigns"):
        # No parent record: a reader and a non-reader are both refused with 403.
        assert response.status_code == (201 if persona in WRITERS else 403), response.content
    else:
        assert response.status_code == expected(persona, 201), response.content
    assert model.objects.count() == before + (1 if persona in WRITERS else 0)
    if persona in WRITERS:
        event = AuditEvent.objects.filter(action=AuditAction.CREATE).latest("id")
        assert event.actor == personas.coordinator


PATCHES = {
    "coalitions": ("coalition", {"purpose": "Changed"}, "purpose", "Changed"),
    "memberships": ("current", {"role": "lead"}, "role", "lead"),
    "campaigns": ("campaign", {"goal": "New goal"}, "goal", "New goal"),
    "demands": ("demand", {"response": "Accepted"}, "response", "Accepted"),
    "campaign-actions": ("action", {"participants": 55}, "participants", 55),
    "sign-ons": ("sign_on", {"individual_signatures": 300}, "individual_signatures", 300),
    "campaign-tasks": ("task", {"done": True}, "done", True),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("endpoint", list(PATCHES))
def test_only_coordinators_change_campaign_records(personas, campaign_world, persona, endpoint):
    attr, values, field, value = PATCHES[endpoint]
    record = getattr(campaign_world, attr)
    api = english_client(getattr(personas, persona))
    response = send(api, "patch", f"{endpoint}/{record.pk}/", values)
    assert response.status_code == expected(persona, 200), response.content
    record.refresh_from_db()
    assert (getattr(record, field) == value) == (persona in WRITERS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_coordinators_end_memberships_and_remove_signatories(
    personas, campaign_world, persona
):
    api = english_client(getattr(personas, persona))
    ended = send(api, "post", f"memberships/{campaign_world.current.pk}/end/")
    assert ended.status_code == expected(persona, 200), ended.content
    removed = api.delete(f"{API}/signatories/{campaign_world.signatory.pk}/")
    assert removed.status_code == expected(persona, 204)
    assert Signatory.objects.filter(pk=campaign_world.signatory.pk).exists() == (
        persona not in WRITERS
    )


# --- Rules and bad input -----------------------------------------------------------------------


def test_an_organisation_signs_once_with_a_clear_message(personas, campaign_world):
    api = english_client(personas.coordinator)
    again = send(
        api,
        "post",
        "signatories/",
        {"sign_on": campaign_world.sign_on.pk, "organisation": campaign_world.jcmk.pk},
    )
    fields = _fields(again)
    assert any("already signed" in m for messages in fields.values() for m in messages)
    assert campaign_world.sign_on.signatories.count() == 1


def test_signatory_unique_constraint_holds_in_the_database(personas, campaign_world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Signatory.objects.create(sign_on=campaign_world.sign_on, organisation=campaign_world.jcmk)


def test_outcome_is_refused_while_the_campaign_is_in_planning(personas, campaign_world):
    api = english_client(personas.coordinator)
    created = send(api, "post", "campaigns/", {"title": "Anti-discrimination law"})
    assert created.json()["status"] == "planning"
    pk = created.json()["id"]
    refused = send(
        api, "patch", f"campaigns/{pk}/", {"outcome": "Law passed", "outcome_on": "2024-01-01"}
    )
    assert "still in planning" in str(_fields(refused))
    assert Campaign.objects.get(pk=pk).outcome == ""
    accepted = send(
        api,
        "patch",
        f"campaigns/{pk}/",
        {"status": "won", "outcome": "Law passed", "outcome_on": "2024-01-01"},
    )
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["outcome"] == "Law passed"


def test_campaign_cannot_end_before_it_starts(personas, campaign_world):
    api = english_client(personas.coordinator)
    response = send(
        api,
        "post",
        "campaigns/",
        {"title": "X", "starts_on": "2024-05-01", "ends_on": "2024-04-01"},
    )
    assert "cannot end before it starts" in str(_fields(response))
    assert not Campaign.objects.filter(title="X").exists()


def test_membership_dates_and_history(personas, campaign_world):
    w = campaign_world
    api = english_client(personas.coordinator)
    today = timezone.localdate()
    # Left before joined.
    bad = send(
        api,
        "post",
        "memberships/",
        {
            "coalition": w.coalition.pk,
            "organisation": w.ministry.pk,
            "joined_on": today.isoformat(),
            "left_on": (today - timedelta(days=3)).isoformat(),
        },
    )
    assert "leave before it joined" in str(_fields(bad))
    # Already an active member.
    twice = send(
        api, "post", "memberships/", {"coalition": w.coalition.pk, "organisation": w.jcmk.pk}
    )
    assert "already a member" in str(_fields(twice))
    # Overlapping the former membership's period.
    overlap = send(
        api,
        "post",
        "memberships/",
        {
            "coalition": w.coalition.pk,
            "organisation": w.mfa.pk,
            "joined_on": (w.former.left_on - timedelta(days=10)).isoformat(),
        },
    )
    assert "overlaps" in str(_fields(overlap))
    # Re-joining after the former period: a new row, the old one kept.
    rejoin = send(
        api,
        "post",
        "memberships/",
        {"coalition": w.coalition.pk, "organisation": w.mfa.pk, "joined_on": today.isoformat()},
    )
    assert rejoin.status_code == 201, rejoin.content
    assert Membership.objects.filter(coalition=w.coalition, organisation=w.mfa).count() == 2
    # Leaving ends the membership, it does not delete it.
    ended = send(api, "post", f"memberships/{w.current.pk}/end/", {"left_on": today.isoformat()})
    assert ended.json()["left_on"] == today.isoformat() and ended.json()["is_active"] is False
    assert Membership.objects.filter(pk=w.current.pk).exists()
    again = send(api, "post", f"memberships/{w.current.pk}/end/")
    assert "already ended" in str(_fields(again))
    active = _ids(send(api, "get", f"memberships/?coalition={w.coalition.pk}&active=true"))
    assert w.current.pk not in active and w.former.pk not in active


def test_membership_dates_are_a_database_constraint(campaign_world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=campaign_world.former.pk).update(
            left_on=campaign_world.former.joined_on - timedelta(days=1)
        )


def test_bad_links_and_unknown_references_are_400s(personas, campaign_world):
    api = english_client(personas.coordinator)
    bad_link = send(
        api,
        "post",
        "campaign-actions/",
        {
            "campaign": campaign_world.campaign.pk,
            "action_type": "forum",
            "title": "Forum",
            "occurred_on": "2024-03-08",
            "links": ["javascript:alert(1)"],
        },
    )
    assert "links" in _fields(bad_link)
    bad_type = send(
        api,
        "post",
        "campaign-actions/",
        {
            "campaign": campaign_world.campaign.pk,
            "action_type": "party",
            "title": "x",
            "occurred_on": "2024-03-08",
        },
    )
    assert "action_type" in _fields(bad_type)
    no_coalition = send(api, "post", "campaigns/", {"title": "Y", "coalition": 999999})
    assert "coalition" in _fields(no_coalition)
    assert CampaignAction.objects.count() == 1 and not Campaign.objects.filter(title="Y").exists()


# --- Filters ---------------------------------------------------------------------------------


def test_campaign_filters(personas, campaign_world):
    w = campaign_world
    alone = cs.campaign_create(
        actor=personas.coordinator, title="Alone", status="won", outcome="Done"
    )
    api = english_client(personas.volunteer)
    assert _ids(send(api, "get", "campaigns/?run_by=centre")) == [alone.pk]
    assert _ids(send(api, "get", "campaigns/?run_by=coalition")) == [w.campaign.pk]
    assert _ids(send(api, "get", f"campaigns/?status=active&coalition={w.coalition.pk}")) == [
        w.campaign.pk
    ]
    assert _ids(send(api, "get", f"campaigns/?organisation={w.mfa.pk}")) == [w.campaign.pk]
    assert _ids(send(api, "get", f"campaigns/?authority={w.ministry.pk}")) == [w.campaign.pk]
    assert set(_ids(send(api, "get", "campaigns/?q=social"))) == {w.campaign.pk}
    assert _ids(send(api, "get", "campaign-actions/?action_type=rally")) == []
    assert _ids(send(api, "get", f"coalitions/?member={w.jcmk.pk}")) == [w.coalition.pk]
    assert _ids(send(api, "get", f"coalitions/?member={w.mfa.pk}")) == []
    coordinator = english_client(personas.coordinator)
    assert _ids(send(coordinator, "get", "campaign-tasks/?mine=true&done=false")) == [w.task.pk]


# --- Exports -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_signatory_exports_by_persona(personas, campaign_world, persona):
    api = english_client(getattr(personas, persona))
    response = api.get(f"{API}/sign-ons/{campaign_world.sign_on.pk}/signatories.csv")
    assert response.status_code == (200 if persona in READERS else 404)


def test_signatory_list_exports_only_names_and_countries_and_is_audited(personas, campaign_world):
    w = campaign_world
    cs.signatory_add(actor=personas.coordinator, sign_on=w.sign_on, organisation=w.mfa)
    ds.organisation_create(actor=personas.coordinator, name_en="=HYPERLINK(1)", kind="ngo")
    api = english_client(personas.volunteer)
    response = api.get(f"{API}/sign-ons/{w.sign_on.pk}/signatories.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    body = content_of(response)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3
    names = {(row[0], row[1]) for row in rows[1:]}
    assert names == {("이주민과 함께하는 공동위원회", "JCMK"), ("", "Migrant Forum in Asia")}
    assert "ana@mfa.example.org" not in body.decode("utf-8-sig")
    workbook = load_workbook(
        io.BytesIO(content_of(api.get(f"{API}/sign-ons/{w.sign_on.pk}/signatories.xlsx")))
    )
    values = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert len(values) == 3 and len(values[0]) == 3
    assert {row[1] for row in values[1:]} == {"JCMK", "Migrant Forum in Asia"}
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(w.sign_on.pk))
    assert sorted(exports.values_list("reason", flat=True)) == ["csv", "xlsx"]
    assert all(e.actor == personas.volunteer for e in exports)


# --- Files ---------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_action_files_are_stored_privately_and_served_through_the_access_check(
    personas, campaign_world, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    coordinator = english_client(personas.coordinator)
    upload = coordinator.post(
        f"{API}/action-files/",
        {
            "action": campaign_world.action.pk,
            "title": "Statement",
            "file": SimpleUploadedFile("statement.pdf", PDF, "application/pdf"),
        },
    )
    assert upload.status_code == 201, upload.content
    pk = upload.json()["id"]
    stored = next(tmp_path.rglob("*"), None)
    assert stored is not None
    assert not any(PDF in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    volunteer = english_client(personas.volunteer)
    assert volunteer.get(f"{API}/action-files/{pk}/download/").content == PDF
    assert (
        english_client(personas.auditor).get(f"{API}/action-files/{pk}/download/").status_code
        == 404
    )
    refused = volunteer.post(
        f"{API}/action-files/",
        {"action": campaign_world.action.pk, "file": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert refused.status_code == 403
    fake = coordinator.post(
        f"{API}/action-files/",
        {
            "action": campaign_world.action.pk,
            "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert "file" in _fields(fake)


# --- Network ---------------------------------------------------------------------------------


def test_network_graph_is_filtered_by_coalition_and_country(personas, campaign_world):
    w = campaign_world
    other = cs.coalition_create(actor=personas.coordinator, name_en="Korea Refugee Support Network")
    cs.membership_add(actor=personas.coordinator, coalition=other, organisation=w.ministry)
    api = english_client(personas.volunteer)
    graph = send(api, "get", "campaigns/network/").json()
    ids = {n["id"] for n in graph["nodes"]}
    assert {
        f"coalition-{w.coalition.pk}",
        f"coalition-{other.pk}",
        f"campaign-{w.campaign.pk}",
    } <= ids
    assert f"organisation-{w.jcmk.pk}" in ids
    assert {
        "source": f"organisation-{w.jcmk.pk}",
        "target": f"coalition-{w.coalition.pk}",
        "kind": "steering",
    } in graph["edges"]
    only = send(api, "get", f"campaigns/network/?coalition={w.coalition.pk}").json()
    assert f"coalition-{other.pk}" not in {n["id"] for n in only["nodes"]}
    philippines = send(api, "get", "campaigns/network/?country=ph").json()
    organisations = {n["id"] for n in philippines["nodes"] if n["kind"] == "organisation"}
    assert organisations == {f"organisation-{w.mfa.pk}"}
    for edge in philippines["edges"]:
        assert edge["source"] in {n["id"] for n in philippines["nodes"]}
    assert english_client(personas.auditor).get(f"{API}/campaigns/network/").status_code == 200
    assert send(english_client(personas.auditor), "get", "campaigns/network/").json()["nodes"] == []


# --- Query counts ----------------------------------------------------------------------------

LIST_URLS = [
    "coalitions/",
    "memberships/",
    "campaigns/",
    "demands/",
    "campaign-actions/",
    "sign-ons/",
    "signatories/",
    "campaign-tasks/",
    "organisations/",
    "organisation-contacts/",
    "campaigns/network/",
]


def _populate(personas, start: int, stop: int) -> None:
    actor = personas.coordinator
    for number in range(start, stop):
        org = ds.organisation_create(
            actor=actor, name_en=f"Partner {number}", kind="ngo", tags=[f"t{number}", "all"]
        )
        ds.contact_add(
            actor=actor, organisation=org, name=f"Person {number}", email=f"p{number}@example.org"
        )
        coalition = cs.coalition_create(actor=actor, name_en=f"Network {number}")
        cs.membership_add(actor=actor, coalition=coalition, organisation=org)
        campaign = cs.campaign_create(
            actor=actor, title=f"Campaign {number}", coalition=coalition, lead_organisation=org
        )
        cs.demand_add(actor=actor, campaign=campaign, text="Demand", addressed_to=org)
        cs.action_record(
            actor=actor,
            campaign=campaign,
            action_type="forum",
            title="Forum",
            occurred_on=timezone.localdate(),
            organisations=[org],
        )
        sign_on = cs.sign_on_create(actor=actor, campaign=campaign, title="Letter")
        cs.signatory_add(actor=actor, sign_on=sign_on, organisation=org)
        cs.task_add(actor=actor, campaign=campaign, title="Task", assignee=actor)


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.dates_as_data
@pytest.mark.parametrize("url", LIST_URLS)
def test_list_endpoints_do_not_grow_queries_with_rows(personas, url):
    api = english_client(personas.coordinator)
    api.get(f"{API}/campaigns/")  # settle the session
    url = f"{API}/{url}?page_size=100"
    _populate(personas, 0, 3)
    few = _queries(api, url)
    _populate(personas, 3, 6)
    many = _queries(api, url)
    assert many == few
    assert few <= 12


def test_schema_describes_the_campaigns_api(personas):
    import yaml
    from openapi_spec_validator import validate

    schema = yaml.safe_load(verified_client(personas.admin).get("/api/schema/").content)
    validate(schema)
    for path in (
        "/api/v1/organisations/import/",
        "/api/v1/organisation-contacts/",
        "/api/v1/coalitions/",
        "/api/v1/memberships/{id}/end/",
        "/api/v1/campaigns/",
        "/api/v1/campaigns/network/",
        "/api/v1/demands/{id}/",
        "/api/v1/campaign-actions/",
        "/api/v1/action-files/{id}/download/",
        "/api/v1/sign-ons/{id}/signatories.csv",
        "/api/v1/sign-ons/{id}/signatories.xlsx",
        "/api/v1/signatories/",
        "/api/v1/campaign-tasks/",
    ):
        assert path in schema["paths"], path
    contact = schema["components"]["schemas"]["ContactPerson"]["properties"]
    assert {"name", "title", "email", "phone"} <= set(contact)
