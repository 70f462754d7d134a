"""The daily proposal on a fixed clock, legal holds, two-person approval, and
the refusals of bad input."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from counselling import services
from counselling.models import Client
from counselling.retention import services as rs
from counselling.retention.models import (
    BatchStatus,
    DestructionBatch,
    ItemReason,
    ItemState,
    RetentionRule,
    RuleKind,
)
from counselling.retention.tasks import execute_batch, propose_due
from ngo.accounts.roles import Role
from tests.factories import UserFactory
from tests.retention_world import DUE_DAY, RECORDED, SEOUL


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (Korean is the default language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), SEOUL).replace(hour=12)


@pytest.fixture
def closed_case(make_case, personas):
    """closed_case(closed_on, **client) -> a case recorded in 2014, closed then."""

    def make(closed_on: date, **client):
        with time_machine.travel(RECORDED, tick=False):
            case = make_case(**client)
        with time_machine.travel(_at(closed_on), tick=False):
            services.case_change_status(
                actor=personas.counsellor_a, case=case, to="closed", closure_reason="resolved"
            )
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def due_world(closed_case, make_case, personas):
    due = closed_case(date(2015, 1, 10))
    not_yet = closed_case(date(2015, 1, 11))
    held = closed_case(date(2015, 1, 5))
    rs.hold_set(actor=personas.manager_a, client=held.client, reason="Divorce case at court")
    with time_machine.travel(RECORDED, tick=False):
        still_open = make_case()
    old = closed_case(date(2014, 6, 1))
    with time_machine.travel(_at(date(2016, 2, 1)), tick=False):
        newer = services.case_open(
            actor=personas.counsellor_a,
            client=old.client,
            case_types=["labour"],
            assigned=[personas.counsellor_a],
        )
    return {
        "due": due,
        "not_yet": not_yet,
        "held": held,
        "open": still_open,
        "old": old,
        "newer": newer,
    }


def _items(batch):
    return {item.client_id: item for item in batch.items.all()}


def test_the_daily_task_proposes_exactly_what_is_due_and_says_what_is_held(due_world, branch_a):
    with time_machine.travel(DUE_DAY, tick=False):
        assert len(propose_due.apply().get()) == 1
        batch = DestructionBatch.objects.get(branch=branch_a, status=BatchStatus.PROPOSED)
        items = _items(batch)
        assert set(items) == {
            due_world["due"].client_id,
            due_world["held"].client_id,
            due_world["old"].client_id,
        }
        whole = items[due_world["due"].client_id]
        assert (whole.state, whole.whole_client, whole.reason) == (
            ItemState.DUE,
            True,
            ItemReason.CASES_CLOSED,
        )
        assert whole.due_on == date(2025, 1, 10)
        assert items[due_world["held"].client_id].state == ItemState.HELD
        one_case = items[due_world["old"].client_id]
        assert (one_case.whole_client, one_case.case_ids, one_case.reason) == (
            False,
            [due_world["old"].pk],
            ItemReason.CASE_CLOSED,
        )
        # Run again the same day: the same batch, the same items.
        propose_due.apply().get()
        assert DestructionBatch.objects.filter(branch=branch_a).count() == 1
        assert _items(batch).keys() == items.keys()


def test_a_case_is_not_due_the_day_before_its_tenth_year_ends(due_world, branch_a):
    with time_machine.travel(_at(date(2025, 1, 9)), tick=False):
        batch = rs.batch_propose(branch=branch_a)
    assert set(_items(batch)) == {due_world["held"].client_id, due_world["old"].client_id}
    with time_machine.travel(_at(date(2024, 5, 31)), tick=False):
        assert rs.batch_propose(branch=branch_a).items.filter(state=ItemState.DUE).count() == 0


def test_a_longer_period_moves_the_due_date(due_world, branch_a, personas):
    rule = RetentionRule.objects.get(kind=RuleKind.CLOSED_CASE)
    rs.rule_update(actor=personas.admin, rule=rule, years=12)
    with time_machine.travel(DUE_DAY, tick=False):
        assert rs.batch_propose(branch=branch_a) is None


@pytest.mark.parametrize("years", [0, -1, 101, "ten"])
def test_a_period_below_one_year_is_refused(personas, years, db):
    rule = RetentionRule.objects.get(kind=RuleKind.CLOSED_CASE)
    with pytest.raises(ValidationError) as refused:
        rs.rule_update(actor=personas.admin, rule=rule, years=years)
    assert "year" in str(refused.value)
    assert RetentionRule.objects.get(pk=rule.pk).years == 10


def _proposed(branch, actor=None):
    with time_machine.travel(DUE_DAY, tick=False):
        return rs.batch_propose(branch=branch, actor=actor)


def test_the_proposer_cannot_approve_and_an_administrator_does_not_approve(
    due_world, branch_a, personas
):
    batch = _proposed(branch_a, actor=personas.manager_a)
    with pytest.raises(ValidationError, match="another branch manager"):
        rs.batch_approve(actor=personas.manager_a, batch=batch)
    with pytest.raises(ValidationError, match="branch manager of this branch"):
        rs.batch_approve(actor=personas.admin, batch=batch)
    assert DestructionBatch.objects.get(pk=batch.pk).status == BatchStatus.PROPOSED
    second = UserFactory(
        email="manager2.a@example.org", role=Role.BRANCH_MANAGER, branches=[branch_a]
    )
    with time_machine.travel(DUE_DAY, tick=False):
        approved = rs.batch_approve(actor=second, batch=batch)
    assert (approved.status, approved.approved_by) == (BatchStatus.APPROVED, second)


def test_a_hold_set_after_the_proposal_refuses_the_approval_whole(due_world, branch_a, personas):
    batch = _proposed(branch_a)
    rs.hold_set(
        actor=personas.manager_a, client=due_world["due"].client, reason="Appeal at the high court"
    )
    with (
        time_machine.travel(DUE_DAY, tick=False),
        pytest.raises(ValidationError, match=due_world["due"].client.case_code),
    ):
        rs.batch_approve(actor=personas.manager_a, batch=batch)
    assert DestructionBatch.objects.get(pk=batch.pk).status == BatchStatus.PROPOSED
    item = batch.items.get(client=due_world["due"].client)
    rs.item_exclude(actor=personas.manager_a, item=item, reason="Held for the appeal")
    with time_machine.travel(DUE_DAY, tick=False):
        rs.batch_approve(actor=personas.manager_a, batch=batch)
        assert execute_batch.apply(args=[batch.pk]).get() == "executed"
    kept = Client.objects.get(pk=due_world["due"].client_id)
    assert kept.name_romanised == due_world["due"].client.name_romanised
    assert batch.items.get(client=due_world["old"].client).state == ItemState.DESTROYED


def test_a_hold_set_after_the_approval_stops_the_execution_for_her(due_world, branch_a, personas):
    batch = _proposed(branch_a)
    with time_machine.travel(DUE_DAY, tick=False):
        rs.batch_approve(actor=personas.manager_a, batch=batch)
        rs.hold_set(
            actor=personas.manager_a, client=due_world["due"].client, reason="A new court case"
        )
        rs.batch_execute(batch_id=batch.pk)
    item = batch.items.get(client=due_world["due"].client)
    assert item.state == ItemState.HELD
    client = Client.objects.get(pk=due_world["due"].client_id)
    assert client.phone == due_world["due"].client.phone
    assert client.name_romanised != "[destroyed]"


def test_an_executed_batch_cannot_be_approved_again(due_world, branch_a, personas):
    batch = _proposed(branch_a)
    with time_machine.travel(DUE_DAY, tick=False):
        rs.batch_approve(actor=personas.manager_a, batch=batch)
        rs.batch_execute(batch_id=batch.pk)
        with pytest.raises(ValidationError, match="already been carried out"):
            rs.batch_approve(actor=personas.manager_a, batch=batch)


def test_a_released_hold_lets_her_be_proposed_again(due_world, branch_a, personas):
    from counselling.retention.models import LegalHold

    hold = LegalHold.objects.get(client=due_world["held"].client)
    rs.hold_release(actor=personas.manager_a, hold=hold)
    with pytest.raises(ValidationError, match="already been released"):
        rs.hold_release(actor=personas.manager_a, hold=hold)
    batch = _proposed(branch_a)
    assert batch.items.get(client=due_world["held"].client).state == ItemState.DUE


def test_a_hold_needs_a_reason_and_a_manager_of_her_branch(due_world, personas):
    from django.core.exceptions import PermissionDenied

    client = due_world["due"].client
    with pytest.raises(ValidationError, match="reason"):
        rs.hold_set(actor=personas.manager_a, client=client, reason="  ")
    with pytest.raises(PermissionDenied):
        rs.hold_set(actor=personas.counsellor_a, client=client, reason="Divorce case at court")


def test_the_beat_runs_the_proposal_daily():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["retention-propose-due"]
    assert entry["task"] == propose_due.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {0})


def test_a_case_opened_after_the_approval_keeps_her_and_her_new_case(due_world, branch_a, personas):
    batch = _proposed(branch_a)
    her = due_world["due"].client
    with time_machine.travel(DUE_DAY, tick=False):
        rs.batch_approve(actor=personas.manager_a, batch=batch)
        services.case_open(
            actor=personas.counsellor_a,
            client=her,
            case_types=["labour"],
            summary="She came back",
            assigned=[personas.counsellor_a],
        )
        rs.batch_execute(batch_id=batch.pk)
    kept = Client.objects.get(pk=her.pk)
    assert kept.name_romanised == her.name_romanised and kept.phone == her.phone
    assert kept.cases.get(status="intake").summary == "She came back"
    from counselling.retention.models import DestructionStub

    assert list(DestructionStub.objects.filter(client=her).values_list("case_id", flat=True)) == [
        due_world["due"].pk
    ]
