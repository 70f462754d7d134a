"""Casework across the screens, in English: an incident on the case page, a
referral whose organisations are fetched when its form opens, a bed asked for
at another branch's shelter and the admission to it, and a case that moves to
another branch."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counselling.incidents.models import Incident
from counselling.models import Case, Referral
from counselling.shelters.models import BedRequest, BedRequestStatus, Stay
from counselling.transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.browser


def test_a_counsellor_records_an_incident_on_her_case_page(journey, personas, make_case):
    case = make_case(actor=personas.counsellor_a)
    when = timezone.localdate() - timedelta(days=10)
    page = journey.login(personas.counsellor_a, language="en")
    page.goto(journey.url("counselling:case_detail", case.pk))
    panel = page.locator("#incidents")
    expect(panel).to_contain_text("No incidents recorded.")
    journey.step("case-page")
    panel.get_by_role("link", name="Record an incident", exact=True).click()
    expect(page.locator("h1")).to_have_text("Record an incident")
    journey.fill(
        {
            "Type of violence": "Physical assault",
            "Date of the incident": when.isoformat(),
            "Kind of place": "Her home",
            "Perpetrator's relationship to her": "Husband",
            "Reported to the police": "No",
        }
    )
    journey.step("incident-form")
    journey.submit("Save")
    expect(page).to_have_url(re.compile(rf"/counselling/cases/{case.pk}/"))
    incident = Incident.objects.get(case=case)
    row = page.locator(f"#incident-{incident.pk}")
    expect(row).to_contain_text("Physical assault")
    expect(row).to_contain_text(when.isoformat())
    expect(row).to_contain_text("Husband")
    expect(page.locator("#timeline")).to_contain_text("Incident recorded")
    journey.step("incident-in-panel-and-timeline")
    assert (incident.violence_type, incident.place, incident.perpetrator) == (
        "physical_assault",
        "her_home",
        "husband",
    )
    assert incident.occurred_on == when and incident.recorded_by == personas.counsellor_a


def test_a_referral_form_brings_its_organisations_when_opened(
    journey, personas, make_case, organisations
):
    case = make_case(actor=personas.counsellor_a)
    page = journey.login(personas.counsellor_a, language="en")
    page.goto(journey.url("counselling:case_detail", case.pk))
    form = page.locator("#referral-form")
    expect(form.locator("select")).to_have_count(0)  # not drawn with the page
    page.get_by_role("button", name="Refer her to an organisation", exact=True).click()
    expect(form.get_by_label(re.compile(r"^organisation\b", re.I))).to_be_visible()
    journey.step("referral-form")
    form.get_by_label(re.compile(r"^organisation\b", re.I)).select_option(
        str(organisations["legal_aid"].pk)
    )
    form.get_by_label(re.compile(r"^shares her personal data", re.I)).uncheck()
    journey.submit("Save the referral", within=form)
    referral = Referral.objects.get(case=case)
    assert referral.organisation == organisations["legal_aid"]
    expect(page.locator("#referrals")).to_contain_text("Korea Legal Aid")
    journey.step("referral-saved")
    # Opening it again asks once more, and only then.
    page.get_by_role("button", name="Refer her to an organisation", exact=True).click()
    expect(form.get_by_label(re.compile(r"^organisation\b", re.I))).to_be_visible()
    # The services panel's form opens as a disclosure, and brings its providers too.
    services = page.locator("#services-given")
    expect(services.locator("select")).to_have_count(0)
    services.get_by_text("Record a service", exact=True).click()
    provider = services.get_by_label(re.compile(r"^provider \(directory\)", re.I))
    expect(provider).to_be_visible()
    expect(provider.locator("option", has_text="Korea Legal Aid")).to_have_count(1)


def test_a_bed_at_another_branchs_shelter_is_requested_held_and_she_is_admitted(
    journey, personas, make_case, shelter
):
    # Her case is Busan's; the shelter is Seoul's.
    case = make_case(actor=personas.counsellor_b)
    code = case.client.case_code
    bed = shelter.test_beds["a"]
    page = journey.login(personas.counsellor_b, language="en")
    page.goto(journey.url("shelters:free_beds"))
    row = page.locator("tr", has_text="Seoul shelter")
    expect(row).to_contain_text("SEO")
    journey.step("free-beds")
    row.get_by_role("link", name="Request", exact=True).click()
    expect(page.locator("h1")).to_have_text("Request a bed")
    expect(page.get_by_label(re.compile(r"^Shelter\b"))).to_have_value(str(shelter.pk))
    journey.fill(
        {
            "Case code": code,
            "Adult beds": "1",
            "Reason": "Her husband found the Busan address; she must leave the city tonight.",
        }
    )
    journey.step("bed-request-form")
    journey.submit("Send the request")
    bed_request = BedRequest.objects.get(case=case)
    expect(page).to_have_url(re.compile(rf"/shelters/requests/{bed_request.pk}/$"))
    expect(page.locator("h1")).to_contain_text("Pending")
    journey.step("bed-request-sent")

    # The shelter worker of Seoul finds it among the requests for her shelter.
    page = journey.login(personas.shelter_worker_a, language="en")
    page.goto(journey.url("shelters:bed_request_list"))
    incoming = page.locator("section", has=page.locator("#incoming-heading"))
    expect(incoming).to_contain_text("BUS")
    journey.step("incoming-requests")
    incoming.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/shelters/requests/{bed_request.pk}/$"))
    expect(page.locator("dl")).to_contain_text(code)
    page.get_by_label(re.compile(r"^101-A · ")).check()
    journey.step("accept-choosing-a-bed")
    journey.submit("Hold the beds")
    expect(page.locator("h1")).to_contain_text("Accepted")
    expect(page.get_by_role("heading", name="Beds held for her")).to_be_visible()
    journey.step("beds-held")
    bed_request.refresh_from_db()
    assert bed_request.status == BedRequestStatus.ACCEPTED
    assert [hold.bed_id for hold in bed_request.holds.all()] == [bed.pk]

    # The board shows the bed held; the admission screen knows for whom.
    page.goto(journey.url("shelters:shelter_board", shelter.pk))
    card = page.locator(f"#bed-{bed.pk}")
    expect(card.locator(".bed")).to_have_class(re.compile(r"\bbed-held\b"))
    journey.step("board-bed-held")
    card.get_by_role("link", name="Admit", exact=True).click()
    expect(page.get_by_label(re.compile(r"^Case code\b"))).to_have_value(code)
    journey.step("admission")
    journey.submit("Admit")
    stay = Stay.objects.get(client=case.client)
    expect(page).to_have_url(re.compile(rf"/stays/{stay.pk}/$"))
    journey.step("admitted")
    page.goto(journey.url("shelters:shelter_board", shelter.pk))
    card = page.locator(f"#bed-{bed.pk}")
    expect(card.locator(".bed")).to_have_class(re.compile(r"\bbed-occupied\b"))
    expect(card).to_contain_text(code)
    journey.step("board-bed-occupied")
    assert stay.occupancies.filter(bed=bed).exists()


def test_a_case_transferred_to_another_branch_leaves_the_sender(journey, personas, make_case):
    # A Busan case moves to Seoul, whose manager accepts it for counsellor A.
    case = make_case(actor=personas.counsellor_b)
    case_url = journey.url("counselling:case_detail", case.pk)
    page = journey.login(personas.counsellor_b, language="en")
    page.goto(case_url)
    panel = page.locator("#transfers")
    expect(panel).to_contain_text("No transfer.")
    # The branches are fetched when the form is opened.
    panel.get_by_role("button", name="Ask to move the case", exact=True).click()
    panel.get_by_label(re.compile(r"^Receiving branch\b")).select_option(
        str(personas.counsellor_a.branches.get().pk)
    )
    journey.fill(
        {
            "Why should the case move?": "She has moved to Seoul to live with her sister.",
            "Note for the receiving branch": "She prefers a Vietnamese-speaking counsellor.",
        },
        within=panel,
    )
    journey.step("transfer-request")
    journey.submit("Request a transfer", within=panel)
    transfer = Transfer.objects.get(case=case)
    expect(page.locator(f"#transfer-{transfer.pk}")).to_contain_text("BUS → SEO")
    journey.step("transfer-pending")

    page = journey.login(personas.manager_a, language="en")
    page.goto(journey.url("transfers:transfer_list"))
    incoming = page.locator("table").first
    expect(incoming).to_contain_text(case.client.case_code)
    journey.step("transfers-screen")
    incoming.get_by_role("link", name=case.client.case_code, exact=True).click()
    expect(page.locator("h1")).to_contain_text("BUS → SEO")
    accept = page.locator("form", has=page.get_by_role("button", name="Accept the case"))
    accept.get_by_label(re.compile(rf"^{personas.counsellor_a.full_name} ")).check()
    journey.step("accept-choosing-a-counsellor")
    journey.submit("Accept the case", within=accept)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    journey.step("transfer-accepted")

    page = journey.login(personas.counsellor_a, language="en")
    page.goto(case_url)
    expect(page.locator("h1").first).to_contain_text(case.client.case_code)
    expect(page.locator(f"#transfer-{transfer.pk}")).to_contain_text("Accepted")
    journey.step("receiving-counsellor-case-page")
    moved = Case.objects.get(pk=case.pk)
    assert moved.branch == personas.counsellor_a.branches.get()
    assert list(moved.assigned.all()) == [personas.counsellor_a]

    page = journey.login(personas.counsellor_b, language="en")
    response = page.goto(case_url)
    assert response.status == 404
    assert journey.allow("status of 404") == 1
    expect(page.locator("body")).not_to_contain_text(case.client.case_code)
    journey.step("sender-gets-404")
