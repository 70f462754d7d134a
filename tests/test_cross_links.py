"""Links between the apps: a campaign demand about a law, an implementation
assessment backed by a campaign and a statistics dataset."""

from datetime import date

import pytest

from campaigns import services as cs
from policy_monitor import services as ps
from policy_monitor.statistics import services as dataset_services
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_a_demand_about_a_law_shows_on_the_campaign_and_on_the_law(
    campaign_world, policy_world, personas
):
    demand = cs.demand_update(
        actor=personas.coordinator, demand=campaign_world.demand, policy=policy_world.plan
    )
    assert demand.policy == policy_world.plan
    campaign_page = verified_client(personas.coordinator).get(
        f"/campaigns/{campaign_world.campaign.pk}/"
    )
    assert f"/policy/laws/{policy_world.plan.pk}/" in campaign_page.content.decode()
    law_page = verified_client(personas.policy_officer).get(f"/policy/laws/{policy_world.plan.pk}/")
    assert "Make the 250-hour course optional" in law_page.content.decode()


def test_the_api_sets_and_refuses_the_law_of_a_demand(campaign_world, policy_world, personas):
    api = verified_client(personas.coordinator)
    url = f"/api/v1/demands/{campaign_world.demand.pk}/"
    ok = api.patch(url, {"policy": policy_world.plan.pk}, content_type=JSON)
    assert ok.status_code == 200, ok.content
    assert ok.json()["policy"] == policy_world.plan.pk
    bad = api.patch(url, {"policy": 999999}, content_type=JSON)
    assert bad.status_code == 400
    assert "policy" in bad.json()["error"]["fields"]


def test_an_assessment_links_a_campaign_and_a_dataset(campaign_world, policy_world, personas):
    dataset = dataset_services.dataset_create(
        actor=personas.policy_officer,
        title="Shelter access 2025",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
        dimensions=["year"],
        measures=["clients"],
        generate=False,
    )
    assessment = ps.assessment_record(
        actor=personas.policy_officer,
        recommendation=policy_world.recommendation,
        assessed_on=date(2026, 6, 1),
        status="partially_implemented",
        evidence="The course became optional; shelters still refuse undocumented women.",
        campaigns=[campaign_world.campaign],
        datasets=[dataset],
    )
    assert list(assessment.campaigns.all()) == [campaign_world.campaign]
    page = (
        verified_client(personas.policy_officer)
        .get(f"/policy/recommendations/{policy_world.recommendation.pk}/")
        .content.decode()
    )
    assert f"/campaigns/{campaign_world.campaign.pk}/" in page
    assert f"/policy/statistics/{dataset.pk}/" in page
