"""Retention through the screens and the API, as the people who use it:
clear refusals of bad input, the two people of an approval, holds on the
client page, and records for auditors without case codes."""

from __future__ import annotations

import pytest
import time_machine

from counselling.retention.models import (
    BatchStatus,
    DestructionBatch,
    ItemState,
    LegalHold,
    RetentionRule,
    RuleKind,
)
from counselling.retention.tasks import execute_batch
from ngo.accounts.roles import Role
from tests.conftest import verified_client as _verified_client
from tests.factories import UserFactory
from tests.retention_world import DUE_DAY, rich_client


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (Korean is the default language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def verified_client(user):
    """Her browser, asking for English."""
    browser = _verified_client(user)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def her(personas, branch_a, organisations):
    client, case, _document = rich_client(personas, branch_a, organisations["hospital"])
    return client


def _rule():
    return RetentionRule.objects.get(kind=RuleKind.CLOSED_CASE)


def test_a_period_of_zero_years_is_refused_with_a_clear_message(personas):
    api = verified_client(personas.admin)
    rule = _rule()
    url = f"/api/v1/retention-rules/{rule.pk}/"
    answer = api.patch(
        url,
        {"years": 0},
        content_type="application/json",
        headers={"If-Match": f'"{rule.version}"'},
    )
    assert answer.status_code == 400
    assert "at least 1 year" in answer.json()["error"]["fields"]["years"][0]
    answer = api.patch(
        url,
        {"years": 7},
        content_type="application/json",
        headers={"If-Match": f'"{rule.version}"'},
    )
    assert answer.status_code == 200 and answer.json()["years"] == 7
    screen = api.post(f"/counselling/retention/rules/{rule.pk}/", {"years": "-3", "version": "2"})
    assert screen.status_code == 200
    assert "at least 1 year" in screen.content.decode()
    assert RetentionRule.objects.get(pk=rule.pk).years == 7
    korean = _verified_client(personas.admin).patch(
        url, {"years": 0}, content_type="application/json", headers={"If-Match": '"2"'}
    )
    assert "최소 1년" in korean.json()["error"]["fields"]["years"][0]


def test_only_administrators_change_a_period(personas):
    rule = _rule()
    answer = verified_client(personas.manager_a).patch(
        f"/api/v1/retention-rules/{rule.pk}/",
        {"years": 5},
        content_type="application/json",
        headers={"If-Match": f'"{rule.version}"'},
    )
    assert answer.status_code == 403
    assert verified_client(personas.counsellor_a).get("/api/v1/retention-rules/").status_code == 403


def test_a_manager_sets_and_releases_a_hold_on_the_client_page(her, personas):
    browser = verified_client(personas.manager_a)
    page = f"/counselling/retention/clients/{her.pk}/holds/"
    refused = browser.post(page, {"reason": "short"})
    assert refused.status_code == 200 and "at least 10 characters" in refused.content.decode()
    assert browser.post(page, {"reason": "Divorce case at the family court"}).status_code == 302
    hold = LegalHold.objects.filter(client=her, released_at__isnull=True).get()
    assert browser.post(f"/counselling/retention/holds/{hold.pk}/release/").status_code == 302
    hold.refresh_from_db()
    assert hold.released_by == personas.manager_a
    assert verified_client(personas.counsellor_a).get(page).status_code == 404
    assert verified_client(personas.counsellor_b).get(page).status_code == 404


def test_two_people_and_a_hold_through_the_api(her, personas, branch_a):
    proposer = verified_client(personas.manager_a)
    with time_machine.travel(DUE_DAY, tick=False):
        made = proposer.post(
            "/api/v1/destruction-batches/", {"branch": "SEO"}, content_type="application/json"
        )
        assert made.status_code == 201, made.content
        batch = made.json()
        assert [item["case_code"] for item in batch["items"]] == [her.case_code]
        approve = f"/api/v1/destruction-batches/{batch['id']}/approve/"
        mine = proposer.post(approve)
        assert mine.status_code == 400
        assert "another branch manager" in str(mine.json()["error"]["fields"])
        hold = proposer.post(
            "/api/v1/legal-holds/",
            {"client": her.pk, "reason": "Appeal lodged at the high court"},
            content_type="application/json",
        )
        assert hold.status_code == 201
        second = verified_client(
            UserFactory(
                email="second.manager@example.org", role=Role.BRANCH_MANAGER, branches=[branch_a]
            )
        )
        held = second.post(approve)
        assert held.status_code == 400 and her.case_code in str(held.json())
        assert DestructionBatch.objects.get(pk=batch["id"]).status == BatchStatus.PROPOSED
        proposer.post(f"/api/v1/legal-holds/{hold.json()['id']}/release/")
        assert second.post(approve).status_code == 200
        execute_batch.apply(args=[batch["id"]])  # what the worker does once it is queued
        assert DestructionBatch.objects.get(pk=batch["id"]).status == BatchStatus.EXECUTED
        again = second.post(approve)
        assert again.status_code == 400 and "already been carried out" in str(again.json())


def test_exclusion_needs_a_reason_and_records_show_counts_not_codes(
    her, personas, django_capture_on_commit_callbacks
):
    with time_machine.travel(DUE_DAY, tick=False):
        admin = verified_client(personas.admin)
        batch = admin.post(
            "/api/v1/destruction-batches/", {"branch": "SEO"}, content_type="application/json"
        ).json()
        item = batch["items"][0]["id"]
        exclude = f"/api/v1/destruction-batches/{batch['id']}/items/{item}/exclude/"
        assert (
            admin.post(exclude, {"reason": ""}, content_type="application/json").status_code == 400
        )
        manager = verified_client(personas.manager_a)
        with django_capture_on_commit_callbacks() as queued:
            assert (
                manager.post(f"/counselling/retention/batches/{batch['id']}/approve/").status_code
                == 302
            )
        assert len(queued) == 1  # the execution, sent once the approval commits
        execute_batch.apply(args=[batch["id"]])
    assert DestructionBatch.objects.get(pk=batch["id"]).items.get().state == ItemState.DESTROYED
    auditor = verified_client(personas.auditor)
    records = auditor.get("/api/v1/destruction-records/")
    assert records.status_code == 200
    body = records.content.decode()
    assert '"counselling.Client":1' in body.replace(" ", "")
    assert her.case_code not in body
    assert auditor.get("/api/v1/destruction-batches/").status_code == 403
    page = auditor.get(f"/counselling/retention/records/{batch['id']}/")
    assert page.status_code == 200 and her.case_code not in page.content.decode()


def test_a_hold_on_a_case_that_is_not_hers_is_refused(her, personas, make_case):
    other = make_case(name_romanised="Another Woman")
    answer = verified_client(personas.manager_a).post(
        "/api/v1/legal-holds/",
        {"client": her.pk, "case": other.pk, "reason": "Divorce case at the family court"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["case"] == ["This case is not hers."]
    assert not LegalHold.objects.filter(case=other).exists()


def test_the_review_page_says_who_is_held(her, personas):
    manager = verified_client(personas.manager_a)
    manager.post(
        f"/counselling/retention/clients/{her.pk}/holds/",
        {"reason": "Divorce case at the family court"},
    )
    with time_machine.travel(DUE_DAY, tick=False):
        proposed = manager.post("/counselling/retention/batches/", {"branch": her.branch_id})
        assert proposed.status_code == 302
        page = manager.get(proposed["Location"]).content.decode()
    assert her.case_code in page and "Under legal hold" in page
