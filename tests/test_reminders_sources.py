"""The campaigns and policy deadlines plugged into reminders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns import services as cs
from ngo.reminders import services
from ngo.reminders.models import DatedItem, Reminder
from policy_monitor import services as ps
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db


def _pending(source):
    return Reminder.objects.filter(item__source=source, status="pending").order_by(
        "remind_at", "recipient_id"
    )


def test_a_campaign_task_reminds_its_assignee_and_stops_when_done(
    campaign_world, personas, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        task = cs.task_add(
            actor=personas.coordinator,
            campaign=campaign_world.campaign,
            title="Book the hall",
            assignee=personas.policy_officer,
            due_on=today + timedelta(days=5),
        )
    item = DatedItem.objects.get(source="campaigns.task_due", object_id=task.pk)
    assert "Book the hall" in item.reference
    rows = _pending("campaigns.task_due").filter(item=item)
    assert [(r.days_before, r.recipient) for r in rows] == [
        (1, personas.policy_officer),
        (0, personas.policy_officer),
        (-1, personas.coordinator),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        cs.task_set_done(actor=personas.coordinator, task=task, done=True)
    assert not _pending("campaigns.task_due").filter(item=item).exists()


def test_a_sign_on_deadline_reminds_the_coordinators(campaign_world, personas):
    sign_on = campaign_world.sign_on
    cs.sign_on_update(
        actor=personas.coordinator,
        sign_on=sign_on,
        deadline=timezone.localdate() + timedelta(days=10),
    )
    services.refresh("campaigns.sign_on_deadline")
    rows = _pending("campaigns.sign_on_deadline")
    assert [r.days_before for r in rows] == [7, 1]
    assert {r.recipient for r in rows} == {personas.coordinator}
    item = rows[0].item
    # The link opens for a campaign reader and not for someone without campaigns.
    assert (
        verified_client(personas.coordinator).get(f"/notifications/item/{item.pk}/")["Location"]
        == f"/campaigns/sign-ons/{sign_on.pk}/"
    )
    assert (
        verified_client(personas.auditor).get(f"/notifications/item/{item.pk}/").status_code == 404
    )


def test_un_review_deadlines_remind_policy_officers(policy_world, personas):
    today = timezone.localdate()
    ps.review_update(
        actor=personas.policy_officer,
        review=policy_world.review,
        ngo_deadline=today + timedelta(days=35),
        follow_up_deadline=today + timedelta(days=3),
    )
    services.refresh()
    assert [r.days_before for r in _pending("policy.review_ngo_deadline")] == [30, 7, 1]
    # Three days ahead: the 7-day reminder (already past) goes out now, the 1-day one later.
    assert [r.days_before for r in _pending("policy.review_follow_up_deadline")] == [7, 1]
    assert {r.recipient for r in _pending("policy.review_ngo_deadline")} == {
        personas.policy_officer
    }


def test_public_comment_deadline_and_submission_due(policy_world, personas):
    today = timezone.localdate()
    ps.policy_event_update(
        actor=personas.policy_officer,
        event=policy_world.comment,
        deadline=today + timedelta(days=9),
        happens_on=today,
    )
    ps.submission_update(
        actor=personas.policy_officer,
        submission=policy_world.draft,
        due_on=today + timedelta(days=9),
    )
    services.refresh()
    assert [r.days_before for r in _pending("policy.public_comment_deadline")] == [7, 1]
    submission_rows = _pending("policy.submission_due")
    # The author is a policy officer too: one reminder per lead time, not two.
    assert sorted(r.days_before for r in submission_rows) == [1, 7]
    assert {r.recipient for r in submission_rows} == {personas.policy_officer}
    # Once submitted, nothing more is due.
    ps.submission_update(
        actor=personas.policy_officer,
        submission=policy_world.draft,
        status="submitted",
        submitted_on=today,
    )
    services.refresh("policy.submission_due")
    assert not _pending("policy.submission_due").exists()
