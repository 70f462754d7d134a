"""The campaigns screens through HTTP: who sees which page and button, forms
that refuse bad input and save nothing, the duplicate-name warning with its
"create anyway", the import report, contact details hidden from volunteers,
the exports, the dashboard panel and list query counts."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns import services as cs
from campaigns.models import Campaign, CampaignTask, Membership, Signatory
from ngo.audit.models import AuditAction, AuditEvent
from ngo.directory import services as ds
from ngo.directory.models import Organisation
from tests.clock import years_before
from tests.conftest import content_of, verified_client

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
WRITERS = {"coordinator"}
DIRECTORY_WRITERS = {"counsellor_a", "counsellor_b", "manager_a", "coordinator", "admin"}


def english_client(user):
    client = verified_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def read_pages(w):
    return [
        "/campaigns/",
        f"/campaigns/{w.campaign.pk}/",
        f"/campaigns/sign-ons/{w.sign_on.pk}/",
        "/campaigns/tasks/",
        "/campaigns/coalitions/",
        f"/campaigns/coalitions/{w.coalition.pk}/",
        "/directory/organisations/",
        f"/directory/organisations/{w.mfa.pk}/",
        "/campaigns/network/",
    ]


def write_pages(w):
    return [
        "/campaigns/new/",
        f"/campaigns/{w.campaign.pk}/edit/",
        f"/campaigns/{w.campaign.pk}/demands/new/",
        f"/campaigns/{w.campaign.pk}/actions/new/",
        f"/campaigns/{w.campaign.pk}/sign-ons/new/",
        f"/campaigns/{w.campaign.pk}/tasks/new/",
        f"/campaigns/demands/{w.demand.pk}/edit/",
        f"/campaigns/actions/{w.action.pk}/edit/",
        f"/campaigns/actions/{w.action.pk}/files/new/",
        f"/campaigns/sign-ons/{w.sign_on.pk}/edit/",
        f"/campaigns/tasks/{w.task.pk}/edit/",
        "/campaigns/coalitions/new/",
        f"/campaigns/coalitions/{w.coalition.pk}/edit/",
        f"/campaigns/memberships/{w.current.pk}/edit/",
    ]


def directory_write_pages(w):
    return [
        "/directory/organisations/new/",
        "/directory/organisations/import/",
        f"/directory/organisations/{w.mfa.pk}/edit/",
        f"/directory/organisations/{w.mfa.pk}/contacts/new/",
        f"/directory/contacts/{w.contact.pk}/edit/",
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_by_persona(personas, campaign_world, persona):
    client = verified_client(getattr(personas, persona))
    reads = persona in READERS
    for url in read_pages(campaign_world):
        assert client.get(url).status_code == (200 if reads else 404), url
    for url in write_pages(campaign_world):
        status = 200 if persona in WRITERS else 403 if reads else 404
        assert client.get(url).status_code == status, url
    for url in directory_write_pages(campaign_world):
        status = 200 if persona in DIRECTORY_WRITERS else 403 if reads else 404
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize("persona", ["volunteer", "policy_officer", "coordinator"])
def test_volunteers_never_see_contact_email_or_phone_in_html(personas, campaign_world, persona):
    client = verified_client(getattr(personas, persona))
    pages = [
        f"/directory/organisations/{campaign_world.mfa.pk}/",
        "/directory/organisations/?q=Forum",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Ana Reyes" in html
        assert ("ana@mfa.example.org" in html) == (persona != "volunteer"), url
    detail = client.get(pages[0]).content.decode()
    assert ("555-0101" in detail) == (persona != "volunteer")


def test_writers_see_edit_buttons_readers_do_not(personas, campaign_world):
    url = f"/campaigns/{campaign_world.campaign.pk}/"
    edit = f"/campaigns/{campaign_world.campaign.pk}/edit/"
    assert edit in verified_client(personas.coordinator).get(url).content.decode()
    assert edit not in verified_client(personas.volunteer).get(url).content.decode()


def test_campaign_page_shows_timeline_demands_sign_ons_and_tasks(personas, campaign_world):
    html = english_client(personas.volunteer).get(f"/campaigns/{campaign_world.campaign.pk}/")
    text = html.content.decode()
    for expected in (
        "Make the 250-hour course optional",
        "Ministry of Justice",
        "Press conference",
        "Joint statement",
        "Send the statement",
        "https://example.org/statement",
    ):
        assert expected in text, expected


def test_organisation_page_shows_the_partnership_and_a_referral_count_only(
    personas, campaign_world, make_case
):
    from counselling import services as counselling_services

    case = make_case(actor=personas.counsellor_a)
    counselling_services.referral_create(
        actor=personas.counsellor_a,
        case=case,
        organisation=campaign_world.mfa,
        reason="Secret reason about her",
        shares_personal_data=False,
    )
    html = (
        english_client(personas.volunteer)
        .get(f"/directory/organisations/{campaign_world.mfa.pk}/")
        .content.decode()
    )
    assert "Migrant Women" in html  # the coalition, with the history
    assert "Make the social-integration course optional" in html
    assert "Press conference" in html
    assert "Secret reason" not in html and case.client.case_code not in html
    assert "Referrals" in html and ">1 <" in html.replace("\n", "")


# --- Forms -----------------------------------------------------------------------------------


def test_campaign_form_refuses_an_outcome_in_planning_and_saves_nothing(personas, campaign_world):
    client = english_client(personas.coordinator)
    response = client.post(
        "/campaigns/new/",
        {
            "title": "Anti-discrimination act",
            "campaign_type": "law_reform",
            "status": "planning",
            "outcome": "Passed",
        },
    )
    assert response.status_code == 400
    assert "still in planning" in response.content.decode()
    assert not Campaign.objects.filter(title="Anti-discrimination act").exists()
    created = client.post(
        "/campaigns/new/",
        {"title": "Anti-discrimination act", "campaign_type": "law_reform", "status": "planning"},
    )
    assert created.status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="campaigns.campaign"
    ).exists()


def test_edit_form_saves_changes_through_the_service(personas, campaign_world):
    client = english_client(personas.coordinator)
    w = campaign_world
    response = client.post(
        f"/campaigns/{w.campaign.pk}/edit/",
        {
            "title": w.campaign.title,
            "campaign_type": "policy_change",
            "status": "won",
            "coalition": w.coalition.pk,
            "lead_organisation": w.jcmk.pk,
            "starts_on": w.campaign.starts_on.isoformat(),
            "outcome": "The Ministry made the course optional.",
            "outcome_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    w.campaign.refresh_from_db()
    assert w.campaign.status == "won"
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="campaigns.campaign"
    ).latest("id")
    assert set(event.fields) == {"status", "outcome", "outcome_on"}
    page = client.get(f"/campaigns/{w.campaign.pk}/").content.decode()
    assert "The Ministry made the course optional." in page


def test_signatory_twice_is_refused_on_the_page(personas, campaign_world):
    client = english_client(personas.coordinator)
    url = f"/campaigns/sign-ons/{campaign_world.sign_on.pk}/"
    added = client.post(url, {"organisation": campaign_world.mfa.pk})
    assert added.status_code == 302, added.content.decode()[-3000:]
    # The form no longer offers organisations that signed; a forged post is refused.
    again = client.post(url, {"organisation": campaign_world.mfa.pk})
    assert again.status_code == 400
    assert Signatory.objects.filter(sign_on=campaign_world.sign_on).count() == 2
    assert (
        verified_client(personas.volunteer)
        .post(url, {"organisation": campaign_world.ministry.pk})
        .status_code
        == 403
    )


def test_membership_is_ended_on_the_page_and_kept(personas, campaign_world):
    client = english_client(personas.coordinator)
    w = campaign_world
    early = client.post(
        f"/campaigns/memberships/{w.current.pk}/end/",
        {"left_on": years_before(w.current.joined_on, 1).isoformat()},
    )
    assert early.status_code == 302
    w.current.refresh_from_db()
    assert w.current.left_on is None
    client.post(
        f"/campaigns/memberships/{w.current.pk}/end/", {"left_on": timezone.localdate().isoformat()}
    )
    w.current.refresh_from_db()
    assert w.current.left_on == timezone.localdate()
    page = client.get(f"/campaigns/coalitions/{w.coalition.pk}/").content.decode()
    assert (
        "Former members" in page
        and "JCMK" not in page.split("Former members")[0].split("Current members")[1]
    )
    assert Membership.objects.filter(coalition=w.coalition).count() == 2


def test_adding_a_member_that_is_already_active_is_refused(personas, campaign_world):
    client = english_client(personas.coordinator)
    response = client.post(
        f"/campaigns/coalitions/{campaign_world.coalition.pk}/",
        {
            "member-organisation": campaign_world.jcmk.pk,
            "member-role": "member",
            "member-joined_on": "2020-01-01",
        },
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()


@pytest.mark.parametrize("persona", ["volunteer", "auditor", "coordinator"])
def test_demand_is_removed_only_by_coordinators(personas, campaign_world, persona):
    from campaigns.models import Demand

    response = verified_client(getattr(personas, persona)).post(
        f"/campaigns/demands/{campaign_world.demand.pk}/remove/"
    )
    assert response.status_code == {"volunteer": 403, "auditor": 404, "coordinator": 302}[persona]
    assert Demand.objects.filter(pk=campaign_world.demand.pk).exists() == (persona != "coordinator")
    if persona == "coordinator":
        assert AuditEvent.objects.filter(
            action=AuditAction.DELETE, object_type="campaigns.demand"
        ).exists()


def test_task_is_marked_done_with_htmx(personas, campaign_world):
    client = english_client(personas.coordinator)
    response = client.post(
        f"/campaigns/tasks/{campaign_world.task.pk}/done/", {"done": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Reopen" in response.content.decode()
    campaign_world.task.refresh_from_db()
    assert campaign_world.task.done and campaign_world.task.done_at is not None
    assert (
        verified_client(personas.volunteer)
        .post(f"/campaigns/tasks/{campaign_world.task.pk}/done/", {"done": "0"})
        .status_code
        == 403
    )


# --- Organisations: duplicate warning and import ----------------------------------------------


def test_duplicate_name_warns_suggests_and_creates_only_when_confirmed(personas, campaign_world):
    client = english_client(personas.counsellor_a)
    values = {
        "name_en": "migrant  forum in ASIA",
        "kind": "international",
        "country": "PH",
        "scope": "international",
        "is_active": "on",
    }
    before = Organisation.objects.count()
    warned = client.post("/directory/organisations/new/", values)
    assert warned.status_code == 409
    html = warned.content.decode()
    assert "already in the directory" in html
    assert f"/directory/organisations/{campaign_world.mfa.pk}/" in html
    assert 'name="confirm_duplicate"' in html and 'type="checkbox"' in html
    assert Organisation.objects.count() == before
    # Posting again without ticking the box still warns.
    again = client.post("/directory/organisations/new/", {**values, "confirm_shown": "1"})
    assert again.status_code == 409 and Organisation.objects.count() == before
    created = client.post(
        "/directory/organisations/new/", {**values, "confirm_shown": "1", "confirm_duplicate": "on"}
    )
    assert created.status_code == 302
    assert Organisation.objects.count() == before + 1


def test_organisation_form_saves_tags_and_authority(personas, campaign_world):
    client = english_client(personas.coordinator)
    response = client.post(
        "/directory/organisations/new/",
        {
            "name_ko": "국회 여성가족위원회",
            "name_en": "Gender Equality and Family Committee",
            "kind": "government",
            "authority_type": "national_assembly",
            "country": "KR",
            "scope": "national",
            "tags": "women, legislation",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    org = Organisation.objects.get(name_en="Gender Equality and Family Committee")
    assert sorted(org.tag_names) == ["legislation", "women"]
    assert org.authority_type == "national_assembly"
    listed = client.get("/directory/organisations/?tag=women").content.decode()
    assert "Gender Equality and Family Committee" in listed and "Migrant Forum" not in listed


def test_import_page_reports_rows(personas, campaign_world):
    client = english_client(personas.coordinator)
    content = (
        "\ufeff기관명,영문 이름,유형,국가\n"
        "이주여성 공동체,Migrant Women Community,community_group,KR\n"
        "나쁜 행,Bad row,unknown,KR\n"
        ",Migrant Forum in Asia,international,PH\n"
    ).encode("utf-8")
    response = client.post(
        "/directory/organisations/import/",
        {"file": SimpleUploadedFile("orgs.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 created, 2 not taken." in html
    assert "unknown is not a known kind" in html
    assert "Already in the directory" in html
    assert Organisation.objects.filter(name_en="Migrant Women Community").exists()
    assert not Organisation.objects.filter(name_en="Bad row").exists()


# --- Exports and files -----------------------------------------------------------------------


def test_signatory_export_pages_are_audited(personas, campaign_world):
    client = verified_client(personas.policy_officer)
    response = client.get(f"/campaigns/sign-ons/{campaign_world.sign_on.pk}/signatories.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(content_of(response).decode("utf-8-sig"))))
    assert rows[1][:2] == ["이주민과 함께하는 공동위원회", "JCMK"]
    xlsx = client.get(f"/campaigns/sign-ons/{campaign_world.sign_on.pk}/signatories.xlsx")
    assert xlsx.status_code == 200 and content_of(xlsx)[:2] == b"PK"
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=personas.policy_officer).count()
        == 2
    )
    assert (
        verified_client(personas.auditor)
        .get(f"/campaigns/sign-ons/{campaign_world.sign_on.pk}/signatories.csv")
        .status_code
        == 404
    )


def test_action_file_upload_and_download_through_the_page(
    personas, campaign_world, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client = verified_client(personas.coordinator)
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = client.post(
        f"/campaigns/actions/{campaign_world.action.pk}/files/new/",
        {
            "title": "Press release",
            "file": SimpleUploadedFile("release.pdf", pdf, "application/pdf"),
        },
    )
    assert response.status_code == 302
    stored = campaign_world.action.files.get()
    assert verified_client(personas.volunteer).get(f"/campaigns/files/{stored.pk}/").content == pdf
    assert (
        verified_client(personas.auditor).get(f"/campaigns/files/{stored.pk}/").status_code == 404
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type="campaigns.actionfile"
    ).exists()


# --- Dashboard and network ----------------------------------------------------------------------


def test_coordinator_dashboard_panel(personas, campaign_world):
    overdue = cs.task_add(
        actor=personas.coordinator,
        campaign=campaign_world.campaign,
        title="Overdue thing",
        due_on=years_before(timezone.localdate(), 1),
    )
    html = english_client(personas.coordinator).get("/accounts/dashboard/").content.decode()
    assert "Tasks due soon or overdue" in html
    assert "Overdue thing" in html and "Send the statement" in html
    assert "Make the social-integration course optional" in html
    assert "Press conference" in html
    assert (
        "Tasks due soon or overdue"
        not in english_client(personas.volunteer).get("/accounts/dashboard/").content.decode()
    )
    assert overdue.pk


def test_network_page_loads_the_graph_library_from_static_files(personas, campaign_world):
    html = verified_client(personas.volunteer).get("/campaigns/network/").content.decode()
    assert "vendor/cytoscape/cytoscape.min.js" in html
    assert 'data-url="/api/v1/campaigns/network/"' in html
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/cytoscape/cytoscape.min.js")
    assert finders.find("hamkke/network.js")


# --- Query counts ----------------------------------------------------------------------------


def _populate(personas, start, stop):
    actor = personas.coordinator
    for n in range(start, stop):
        org = ds.organisation_create(actor=actor, name_en=f"Org {n}", kind="ngo", tags=[f"tag{n}"])
        ds.contact_add(actor=actor, organisation=org, name=f"Contact {n}")
        coalition = cs.coalition_create(actor=actor, name_en=f"Coalition {n}")
        cs.membership_add(actor=actor, coalition=coalition, organisation=org)
        campaign = cs.campaign_create(
            actor=actor, title=f"Campaign {n}", coalition=coalition, status="active"
        )
        cs.action_record(
            actor=actor,
            campaign=campaign,
            action_type="rally",
            title=f"Rally {n}",
            occurred_on=timezone.localdate(),
            organisations=[org],
        )
        cs.task_add(
            actor=actor,
            campaign=campaign,
            title=f"Task {n}",
            assignee=actor,
            due_on=timezone.localdate(),
        )


LIST_PAGES = [
    "/campaigns/",
    "/campaigns/coalitions/",
    "/directory/organisations/",
    "/campaigns/tasks/",
    "/accounts/dashboard/",
]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_do_not_grow_queries_with_rows(personas, url):
    client = verified_client(personas.coordinator)
    client.get(url)
    _populate(personas, 0, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _populate(personas, 5, 10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_campaign_page_does_not_grow_queries_with_actions(personas, campaign_world):
    client = verified_client(personas.coordinator)
    url = f"/campaigns/{campaign_world.campaign.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        cs.action_record(
            actor=personas.coordinator,
            campaign=campaign_world.campaign,
            action_type="forum",
            title=f"Forum {n}",
            occurred_on=timezone.localdate(),
            organisations=[campaign_world.mfa],
        )
        cs.task_add(actor=personas.coordinator, campaign=campaign_world.campaign, title=f"T{n}")
        cs.demand_add(
            actor=personas.coordinator,
            campaign=campaign_world.campaign,
            text=f"D{n}",
            addressed_to=campaign_world.ministry,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert CampaignTask.objects.count() == 7


# --- Markup rules ------------------------------------------------------------------------------


def test_campaign_pages_have_no_inline_script_or_style_and_speak_korean(personas, campaign_world):
    import re

    client = verified_client(personas.coordinator)  # Korean, the default
    pages = (
        read_pages(campaign_world)
        + write_pages(campaign_world)
        + directory_write_pages(campaign_world)
    )
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script on {url}: {tag}"
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son(click|load|change|submit)=", html), url
    index = client.get("/campaigns/").content.decode()
    assert "새 캠페인" in index and "연대체" in index


def test_coalition_and_organisation_pages_do_not_grow_queries(personas, campaign_world):
    client = verified_client(personas.coordinator)
    w = campaign_world
    urls = [f"/campaigns/coalitions/{w.coalition.pk}/", f"/directory/organisations/{w.jcmk.pk}/"]
    for url in urls:
        client.get(url)

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            result.append(len(captured))
        return result

    few = counts()
    actor = personas.coordinator
    for n in range(5):
        org = ds.organisation_create(actor=actor, name_en=f"Member {n}", kind="ngo")
        cs.membership_add(actor=actor, coalition=w.coalition, organisation=org)
        campaign = cs.campaign_create(actor=actor, title=f"C{n}", coalition=w.coalition)
        cs.action_record(
            actor=actor,
            campaign=campaign,
            action_type="rally",
            title=f"R{n}",
            occurred_on=timezone.localdate(),
            organisations=[w.jcmk],
        )
        sign_on = cs.sign_on_create(actor=actor, campaign=campaign, title=f"S{n}")
        cs.signatory_add(actor=actor, sign_on=sign_on, organisation=w.jcmk)
    assert counts() == few
