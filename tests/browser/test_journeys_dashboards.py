"""Every role's home page, and the campaigns network, load cleanly in the browser:
no console error, no CSP violation, no 500, and every chart drawn."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ngo.audit.models import AuditAction

pytestmark = pytest.mark.browser

# Each role and the least number of charts her home page draws from `home_world`.
ROLES = {
    "counsellor_a": 2,
    "manager_a": 10,
    "shelter_worker_a": 4,
    "coordinator": 2,
    "policy_officer": 3,
    "auditor": 1,
}


@pytest.fixture
def home_world(personas, make_case, organisations, shelter):
    """Something for every case-work chart: Seoul's case (her counsellor's, the
    manager's and the shelter worker's) with a session, a follow-up, a referral, a
    transfer in from Busan and a woman in the shelter; reads and an export in the
    audit log."""
    from counselling import services
    from counselling.shelters import services as shelter_services
    from counselling.transfers import services as transfer_services
    from ngo.audit.services import audit_record

    counsellor, manager = personas.counsellor_a, personas.manager_a
    today = timezone.localdate()
    case = make_case(actor=counsellor, assigned=[counsellor, manager, personas.shelter_worker_a])
    services.session_record(
        actor=counsellor,
        case=case,
        mode="in_person",
        language="vi",
        services=["counselling"],
        follow_up_on=today + timedelta(days=1),
    )
    services.consent_record(
        actor=counsellor,
        client=case.client,
        purpose="share_referral",
        given=True,
        explanation_language="vi",
        organisation_kinds=["hospital"],
    )
    services.referral_create(
        actor=counsellor, case=case, organisation=organisations["hospital"], reason="Check-up."
    )
    busan = make_case(actor=personas.counsellor_b, case_types=["labour"])
    transfer = transfer_services.transfer_request(
        actor=personas.counsellor_b,
        case=busan,
        to_branch=case.branch,
        reason="She has moved to Seoul.",
    )
    transfer_services.transfer_accept(actor=manager, transfer=transfer, assigned=[counsellor])
    shelter_services.stay_admit(
        actor=personas.shelter_worker_a, case=case, bed=shelter.test_beds["a"]
    )
    for action in (AuditAction.READ, AuditAction.READ, AuditAction.EXPORT):
        audit_record(action=action, actor=counsellor, obj=case)
    return case


@pytest.fixture
def mechanisms(db):
    """The UN mechanisms catalogue, as its migration seeds it (put back if a
    transactional test's flush took it)."""
    from importlib import import_module

    from django.apps import apps

    import_module("policy_monitor.migrations.0002_seed_mechanisms").seed(apps, None)


@pytest.fixture
def policy_deadline(personas, mechanisms, policy_world):
    """The policy records, and a review whose NGO deadline is next month."""
    from policy_monitor import services
    from policy_monitor.models import Mechanism

    return services.review_create(
        actor=personas.policy_officer,
        mechanism=Mechanism.objects.get(code="CEDAW"),
        cycle="10th periodic report",
        ngo_deadline=timezone.localdate() + timedelta(days=30),
    )


# The campaigns' and the policy records' worlds share organisations: one at a time.
WORLDS = {"coordinator": "campaign_world", "policy_officer": "policy_deadline"}


@pytest.mark.parametrize("persona", ROLES)
def test_each_role_home_dashboard_draws_its_charts(journey, personas, home_world, persona, request):
    if persona in WORLDS:
        request.getfixturevalue(WORLDS[persona])
    page = journey.login(getattr(personas, persona))
    page.goto(journey.url("accounts:dashboard"))
    expect(page.locator("main h1, h1").first).to_be_visible()
    charts = journey.canvases_drawn()
    figures = page.locator("figure.dashboard-figure")
    journey.step(f"dashboard-{persona}-{charts}-charts")
    # Every chart of her panels has numbers, and every one of them is drawn.
    assert charts >= ROLES[persona]
    assert figures.count() == charts
    expect(page.locator("canvas.dashboard-chart")).to_have_count(charts)


def test_the_campaigns_network_view_loads_cleanly(journey, personas, campaign_world):
    page = journey.login(personas.coordinator)
    page.goto(journey.url("campaigns:network"))
    expect(page.locator("h1").first).to_be_visible()
    page.locator("#network canvas").first.wait_for()
    # The graph draws in layered canvases: the nodes' layer is drawn, the others may stay empty.
    assert journey.canvases_drawn(every=False) >= 1
    journey.step("campaigns-network")
