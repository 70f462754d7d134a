"""The evidence chain, one click each way: a statistics dataset linked to the
submissions and recommendations it backs, a campaign demand linked to the
recommendations it presses for, and the law they are about. Each record's
page and API detail shows the others, scoped to the reader; the links are
written through the services (audited, versioned, checked); the pages stay
constant in queries."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import services as cs
from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor import services as ps
from policy_monitor.statistics import services as dataset_services
from tests.conftest import verified_client
from tests.test_api_schema import schema_errors

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def spec():
    """The OpenAPI schema as served (see tests/test_api_schema.py)."""
    import json

    from django.utils.translation import override
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    with override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


JSON = "application/json"


def _dataset(officer, title="Women counselled 2025", branches=()):
    return dataset_services.dataset_create(
        actor=officer,
        title=title,
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
        dimensions=["year"],
        measures=["clients"],
        branches=branches,
        generate=False,
    )


@pytest.fixture
def chain(campaign_world, policy_world, personas):
    """The recommendation (CEDAW ¶41) backed by a dataset; the draft follow-up
    submission cites the dataset; the campaign's demand presses for the
    recommendation and is about the national action plan."""
    officer = personas.policy_officer
    dataset = _dataset(officer)
    ps.recommendation_update(
        actor=officer, recommendation=policy_world.recommendation, datasets=[dataset]
    )
    ps.submission_update(actor=officer, submission=policy_world.draft, datasets=[dataset])
    cs.demand_update(
        actor=personas.coordinator,
        demand=campaign_world.demand,
        recommendations=[policy_world.recommendation],
        policy=policy_world.plan,
    )
    return dataset


def _page(user, url) -> str:
    response = verified_client(user).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _href(name, *args) -> str:
    return f'href="{reverse(name, args=args)}"'


def test_the_links_are_written_through_the_services_audited_and_versioned(
    chain, policy_world, campaign_world
):
    recommendation = policy_world.recommendation
    recommendation.refresh_from_db()
    assert list(recommendation.datasets.all()) == [chain]
    assert list(chain.submissions.all()) == [policy_world.draft]
    assert list(campaign_world.demand.recommendations.all()) == [recommendation]
    assert recommendation.version >= 2
    changes = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="policy_monitor.recommendation"
    )
    assert any("datasets" in event.fields for event in changes)
    demand_changes = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="campaigns.demand"
    )
    assert any("recommendations" in event.fields for event in demand_changes)


def test_every_page_of_the_chain_links_the_others(chain, policy_world, campaign_world, personas):
    officer = personas.policy_officer
    rec, draft, plan = policy_world.recommendation, policy_world.draft, policy_world.plan
    demand_anchor = f"#demand-{campaign_world.demand.pk}"

    page = _page(officer, reverse("policy_monitor:recommendation_detail", args=[rec.pk]))
    assert _href("statistics:dataset_detail", chain.pk) in page
    assert _href("policy_monitor:submission_detail", policy_world.published.pk) in page  # assessed
    assert demand_anchor in page
    assert _href("policy_monitor:policy_detail", plan.pk) in page

    page = _page(officer, reverse("statistics:dataset_detail", args=[chain.pk]))
    assert _href("policy_monitor:recommendation_detail", rec.pk) in page
    assert _href("policy_monitor:submission_detail", draft.pk) in page
    assert demand_anchor in page

    page = _page(officer, reverse("policy_monitor:submission_detail", args=[draft.pk]))
    assert _href("statistics:dataset_detail", chain.pk) in page

    page = _page(
        officer, reverse("policy_monitor:submission_detail", args=[policy_world.published.pk])
    )
    assert _href("policy_monitor:recommendation_detail", rec.pk) in page  # through the assessment
    assert demand_anchor in page

    page = _page(officer, reverse("campaigns:campaign_detail", args=[campaign_world.campaign.pk]))
    assert f'id="demand-{campaign_world.demand.pk}"' in page
    assert _href("policy_monitor:recommendation_detail", rec.pk) in page
    assert _href("statistics:dataset_detail", chain.pk) in page

    page = _page(officer, reverse("policy_monitor:policy_detail", args=[plan.pk]))
    assert _href("policy_monitor:recommendation_detail", rec.pk) in page  # the demand about it
    assert _href("statistics:dataset_detail", chain.pk) in page


def test_a_coordinator_without_statistics_access_sees_no_dataset_link(
    chain, policy_world, campaign_world, personas
):
    coordinator = personas.coordinator
    for url in (
        reverse("policy_monitor:recommendation_detail", args=[policy_world.recommendation.pk]),
        reverse("campaigns:campaign_detail", args=[campaign_world.campaign.pk]),
        reverse("policy_monitor:policy_detail", args=[policy_world.plan.pk]),
    ):
        page = _page(coordinator, url)
        assert reverse("statistics:dataset_detail", args=[chain.pk]) not in page
        assert chain.title not in page
    detail = verified_client(coordinator).get(
        f"/api/v1/recommendations/{policy_world.recommendation.pk}/"
    )
    assert detail.json()["evidence"]["datasets"] == []
    assert [d["id"] for d in detail.json()["evidence"]["demands"]] == [campaign_world.demand.pk]


def test_a_branch_manager_sees_only_datasets_of_her_own_branch(
    chain, policy_world, personas, branch_a, branch_b
):
    officer = personas.policy_officer
    own = _dataset(officer, title="Seoul only", branches=[branch_a])
    other = _dataset(officer, title="Busan only", branches=[branch_b])
    ps.recommendation_update(
        actor=officer, recommendation=policy_world.recommendation, datasets=[chain, own, other]
    )
    page = _page(
        personas.manager_a,
        reverse("policy_monitor:recommendation_detail", args=[policy_world.recommendation.pk]),
    )
    assert "Seoul only" in page
    assert "Busan only" not in page
    assert chain.title not in page  # an all-branch dataset is not hers to read


def test_the_auditor_sees_the_dataset_but_no_policy_record_on_its_page(chain, personas):
    page = _page(personas.auditor, reverse("statistics:dataset_detail", args=[chain.pk]))
    assert "data-evidence" in page
    assert "data-link=" not in page
    body = verified_client(personas.auditor).get(f"/api/v1/statistics-datasets/{chain.pk}/")
    assert body.json()["evidence"] == {"submissions": [], "recommendations": []}


def test_the_api_details_carry_the_chain(chain, policy_world, campaign_world, personas):
    api = verified_client(personas.policy_officer)
    rec = policy_world.recommendation
    body = api.get(f"/api/v1/recommendations/{rec.pk}/").json()
    assert body["evidence"]["datasets"] == [
        {
            "id": chain.pk,
            "title": chain.title,
            "url": f"/api/v1/statistics-datasets/{chain.pk}/",
            "page": reverse("statistics:dataset_detail", args=[chain.pk]),
        }
    ]
    assert [p["id"] for p in body["evidence"]["policies"]] == [policy_world.plan.pk]

    body = api.get(f"/api/v1/statistics-datasets/{chain.pk}/").json()
    assert body["evidence"]["recommendations"] == [
        {"id": rec.pk, "title": str(rec), "url": f"/api/v1/recommendations/{rec.pk}/"}
    ]
    assert [s["id"] for s in body["evidence"]["submissions"]] == [policy_world.draft.pk]

    body = api.get(f"/api/v1/submissions/{policy_world.draft.pk}/").json()
    assert [d["id"] for d in body["evidence"]["datasets"]] == [chain.pk]

    body = api.get(f"/api/v1/demands/{campaign_world.demand.pk}/").json()
    assert [r["id"] for r in body["evidence"]["recommendations"]] == [rec.pk]
    assert [d["id"] for d in body["evidence"]["datasets"]] == [chain.pk]

    body = api.get(f"/api/v1/policies/{policy_world.plan.pk}/").json()
    ids = {r["id"] for r in body["evidence"]["recommendations"]}
    assert ids == {rec.pk, policy_world.commitment.pk}
    assert [d["id"] for d in body["evidence"]["demands"]] == [campaign_world.demand.pk]
    # Lists stay plain.
    listed = api.get("/api/v1/recommendations/").json()["results"]
    assert all("evidence" not in row for row in listed)


def test_the_api_writes_links_with_if_match(chain, policy_world, campaign_world, personas):
    api = verified_client(personas.coordinator)
    url = f"/api/v1/demands/{campaign_world.demand.pk}/"
    etag = api.get(url)["ETag"]
    ok = api.patch(
        url,
        {"recommendations": [policy_world.commitment.pk]},
        content_type=JSON,
        headers={"If-Match": etag},
    )
    assert ok.status_code == 200, ok.content
    assert [r["id"] for r in ok.json()["evidence"]["recommendations"]] == [
        policy_world.commitment.pk
    ]
    stale = api.patch(url, {"recommendations": []}, content_type=JSON, headers={"If-Match": etag})
    assert stale.status_code == 412

    officer = verified_client(personas.policy_officer)
    url = f"/api/v1/recommendations/{policy_world.commitment.pk}/"
    ok = officer.patch(url, {"datasets": [chain.pk]}, content_type=JSON)
    assert ok.status_code == 200, ok.content
    assert [d["id"] for d in ok.json()["evidence"]["datasets"]] == [chain.pk]


def test_a_sent_submission_cites_published_datasets_only(chain, policy_world, personas):
    api = verified_client(personas.policy_officer)
    url = f"/api/v1/submissions/{policy_world.published.pk}/"
    refused = api.patch(
        url, {"datasets": [chain.pk]}, content_type=JSON, headers={"Accept-Language": "en"}
    )
    assert refused.status_code == 400
    message = " ".join(refused.json()["error"]["fields"]["datasets"])
    assert "published datasets only" in message and chain.title in message
    # The draft that cites it cannot be sent before the dataset is published.
    with pytest.raises(ValidationError) as sent:
        ps.submission_update(
            actor=personas.policy_officer,
            submission=policy_world.draft,
            status="submitted",
            submitted_on=date(2026, 1, 1),
        )
    assert "datasets" in sent.value.message_dict
    policy_world.draft.refresh_from_db()
    assert policy_world.draft.status == "drafting"


def test_a_link_to_a_record_the_writer_cannot_read_is_refused(chain, policy_world, personas):
    with pytest.raises(ValidationError) as refused:
        ps.recommendation_update(
            actor=personas.coordinator,
            recommendation=policy_world.commitment,
            datasets=[chain],
        )
    assert f"#{chain.pk}" in refused.value.message_dict["datasets"][0]
    assert not policy_world.commitment.datasets.exists()


def test_the_forms_offer_the_links(chain, policy_world, campaign_world, personas):
    officer = verified_client(personas.policy_officer)
    form = officer.get(
        reverse("policy_monitor:submission_edit", args=[policy_world.draft.pk])
    ).content.decode()
    assert 'name="datasets"' in form and chain.title in form
    response = officer.post(
        reverse("policy_monitor:recommendation_edit", args=[policy_world.commitment.pk]),
        {
            "source": "plan",
            "plan": policy_world.plan.pk,
            "text": policy_world.commitment.text,
            "issued_on": "2023-04-01",
            "position": "none",
            "datasets": [chain.pk],
            "version": policy_world.commitment.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(policy_world.commitment.datasets.all()) == [chain]
    coordinator = verified_client(personas.coordinator)
    form = coordinator.get(
        reverse("campaigns:demand_edit", args=[campaign_world.demand.pk])
    ).content.decode()
    assert 'name="recommendations"' in form


def _count(user, url) -> int:
    client = verified_client(user)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_of_the_chain_stay_constant_in_queries(
    chain, policy_world, campaign_world, personas
):
    officer = personas.policy_officer
    rec = policy_world.recommendation
    urls = [
        reverse("policy_monitor:recommendation_detail", args=[rec.pk]),
        reverse("statistics:dataset_detail", args=[chain.pk]),
        reverse("policy_monitor:submission_detail", args=[policy_world.draft.pk]),
        reverse("policy_monitor:policy_detail", args=[policy_world.plan.pk]),
        reverse("campaigns:campaign_detail", args=[campaign_world.campaign.pk]),
    ]
    small = [_count(officer, url) for url in urls]
    more = [_dataset(officer, title=f"Extra {n}") for n in range(3)]
    extra_demands = [
        cs.demand_add(
            actor=personas.coordinator,
            campaign=campaign_world.campaign,
            text=f"Demand {n}",
            addressed_to=campaign_world.ministry,
            recommendations=[rec, policy_world.commitment],
            policy=policy_world.plan,
        )
        for n in range(3)
    ]
    assert len(extra_demands) == 3
    ps.recommendation_update(actor=officer, recommendation=rec, datasets=[chain, *more])
    ps.submission_update(actor=officer, submission=policy_world.draft, datasets=[chain, *more])
    assert all(dataset.recommendations.count() == 1 for dataset in more)
    large = [_count(officer, url) for url in urls]
    assert large == small


def test_the_details_with_their_chain_match_the_schema(
    chain, policy_world, campaign_world, personas, spec
):
    api = verified_client(personas.policy_officer)
    for path, pk in [
        ("/api/v1/recommendations/{id}/", policy_world.recommendation.pk),
        ("/api/v1/submissions/{id}/", policy_world.draft.pk),
        ("/api/v1/policies/{id}/", policy_world.plan.pk),
        ("/api/v1/demands/{id}/", campaign_world.demand.pk),
        ("/api/v1/statistics-datasets/{id}/", chain.pk),
    ]:
        response = api.get(path.format(id=pk))
        assert response.status_code == 200
        assert schema_errors(spec, path, "get", response) == []


def test_a_refused_link_is_explained_in_korean(chain, policy_world, personas):
    api = verified_client(personas.policy_officer)
    refused = api.patch(
        f"/api/v1/submissions/{policy_world.published.pk}/",
        {"datasets": [chain.pk]},
        content_type=JSON,
        headers={"Accept-Language": "ko"},
    )
    assert refused.status_code == 400
    assert "공개된 데이터셋만" in " ".join(refused.json()["error"]["fields"]["datasets"])
