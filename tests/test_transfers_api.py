"""Transfers in the API: the list and its filters, requesting, accepting,
declining and cancelling, If-Match, and the managers' monthly counts."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from counselling.models import Case
from counselling.transfers import selectors, services
from counselling.transfers.models import Transfer, TransferStatus
from ngo.accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _services_speak_english(_default_language):
    with translation.override("en"):
        yield


@pytest.fixture
def manager_b(branch_b):
    return UserFactory(email="manager.b@example.org", role=Role.BRANCH_MANAGER, branches=[branch_b])


@pytest.fixture
def case(make_case, personas):
    return make_case(actor=personas.counsellor_a)


def _post(client, name, pk=None, body=None, **headers):
    url = reverse(name, args=[pk] if pk is not None else [])
    return client.post(url, body or {}, content_type="application/json", **headers)


def test_request_accept_and_read_through_the_api(case, personas, login, manager_b, branch_b):
    counsellor = login(personas.counsellor_a)
    bad = _post(counsellor, "api:transfer-list", body={"case": case.pk, "to_branch": "ZZZ"})
    assert bad.status_code == 400 and "to_branch" in bad.json()["error"]["fields"]
    same = _post(
        counsellor, "api:transfer-list", body={"case": case.pk, "to_branch": "SEO", "reason": "x"}
    )
    assert same.status_code == 400 and "to_branch" in same.json()["error"]["fields"]
    created = _post(
        counsellor,
        "api:transfer-list",
        body={"case": case.pk, "to_branch": "BUS", "reason": "She moved", "note": "Hearing"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["from_branch"], body["to_branch"], body["status"]) == ("SEO", "BUS", "pending")
    assert body["case_code"] == case.client.case_code and body["languages"] == ["vi"]
    assert created["ETag"] == '"1"'
    again = _post(
        counsellor, "api:transfer-list", body={"case": case.pk, "to_branch": "BUS", "reason": "y"}
    )
    assert again.status_code == 400
    pk = body["id"]

    receiving = login(manager_b)
    incoming = receiving.get(reverse("api:transfer-list"), {"direction": "incoming"})
    assert [row["id"] for row in incoming.json()["results"]] == [pk]
    assert (
        receiving.get(reverse("api:transfer-list"), {"direction": "outgoing"}).json()["count"] == 0
    )
    assert (
        counsellor.get(reverse("api:transfer-list"), {"direction": "outgoing"}).json()["count"] == 1
    )
    assert receiving.get(reverse("api:transfer-list"), {"status": "nonsense"}).status_code == 400
    assert receiving.get(reverse("api:case-detail", args=[case.pk])).status_code == 404

    assert _post(counsellor, "api:transfer-accept", pk).status_code == 403
    empty = _post(receiving, "api:transfer-accept", pk, {"assigned": []})
    assert empty.status_code == 400
    stranger = _post(receiving, "api:transfer-accept", pk, {"assigned": [personas.counsellor_a.pk]})
    assert stranger.status_code == 400 and "assigned" in stranger.json()["error"]["fields"]
    missing = _post(receiving, "api:transfer-accept", pk, {"assigned": [999999]})
    assert missing.status_code == 400
    stale = _post(
        receiving,
        "api:transfer-accept",
        pk,
        {"assigned": [personas.counsellor_b.pk]},
        HTTP_IF_MATCH='"7"',
    )
    assert stale.status_code == 412 and stale["ETag"] == '"1"'
    accepted = _post(receiving, "api:transfer-accept", pk, {"assigned": [personas.counsellor_b.pk]})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert Case.objects.get(pk=case.pk).branch == branch_b
    assert counsellor.get(reverse("api:transfer-detail", args=[pk])).status_code == 404
    assert counsellor.get(reverse("api:case-detail", args=[case.pk])).status_code == 404
    assert (
        login(personas.counsellor_b).get(reverse("api:case-detail", args=[case.pk])).status_code
        == 200
    )


def test_decline_and_cancel_through_the_api(case, personas, login, manager_b, branch_b):
    first = services.transfer_request(
        actor=personas.counsellor_a, case=case, to_branch=branch_b, reason="She moved"
    )
    receiving, counsellor = login(manager_b), login(personas.counsellor_a)
    no_reason = _post(receiving, "api:transfer-decline", first.pk, {})
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["error"]["fields"]
    declined = _post(receiving, "api:transfer-decline", first.pk, {"reason": "No room"})
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "No room"
    assert _post(counsellor, "api:transfer-cancel", first.pk).status_code == 400  # answered
    second = services.transfer_request(
        actor=personas.counsellor_a, case=case, to_branch=branch_b, reason="Again"
    )
    assert _post(receiving, "api:transfer-cancel", second.pk).status_code == 403
    cancelled = _post(counsellor, "api:transfer-cancel", second.pk)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    listed = counsellor.get(reverse("api:transfer-list"), {"case": case.pk, "status": "declined"})
    assert [row["id"] for row in listed.json()["results"]] == [first.pk]


def test_another_branch_gets_404(case, personas, login, branch_b):
    transfer = services.transfer_request(
        actor=personas.counsellor_a, case=case, to_branch=branch_b, reason="She moved"
    )
    outsider = login(personas.counsellor_b)
    assert outsider.get(reverse("api:transfer-detail", args=[transfer.pk])).status_code == 404
    assert _post(outsider, "api:transfer-accept", transfer.pk, {"assigned": [1]}).status_code == 404
    assert outsider.get(reverse("api:transfer-list")).json()["count"] == 0


def test_transfers_by_month_counts_in_and_out_for_her_branches(
    make_case, personas, manager_b, branch_a, branch_b
):
    def move(case, frm_actor, to_branch, manager, staff, when):
        with time_machine.travel(when, tick=False):
            transfer = services.transfer_request(
                actor=frm_actor, case=case, to_branch=to_branch, reason="Moved"
            )
            services.transfer_accept(actor=manager, transfer=transfer, assigned=[staff])

    now = timezone.localtime()
    this_month = now.replace(day=15, hour=12)
    last_year = this_month.replace(year=this_month.year - 2)
    move(make_case(), personas.counsellor_a, branch_b, manager_b, personas.counsellor_b, this_month)
    move(make_case(), personas.counsellor_a, branch_b, manager_b, personas.counsellor_b, last_year)
    back = make_case(actor=personas.counsellor_b)
    move(
        back, personas.counsellor_b, branch_a, personas.manager_a, personas.counsellor_a, this_month
    )
    declined = services.transfer_request(
        actor=personas.counsellor_a, case=make_case(), to_branch=branch_b, reason="Moved"
    )
    services.transfer_decline(actor=manager_b, transfer=declined, reason="No")

    with time_machine.travel(this_month, tick=False):
        seoul = selectors.transfers_by_month(personas.manager_a, months=12)
        busan = selectors.transfers_by_month(manager_b, months=3)
    assert len(seoul) == 12 and len(busan) == 3
    assert seoul[-1]["month"] == this_month.date().replace(day=1)
    assert seoul[0]["month"] < seoul[-1]["month"]
    assert (seoul[-1]["incoming"], seoul[-1]["outgoing"]) == (1, 1)
    assert (busan[-1]["incoming"], busan[-1]["outgoing"]) == (1, 1)
    assert sum(row["incoming"] + row["outgoing"] for row in seoul) == 2  # not two years ago
    assert selectors.transfers_by_month(personas.counsellor_a) == []
    assert Transfer.objects.filter(status=TransferStatus.ACCEPTED).count() == 3
    assert isinstance(seoul[0]["month"], type(datetime(2026, 1, 1).date()))


def test_the_managers_chart_draws_accepted_transfers(case, personas, manager_b, branch_b):
    from counselling.transfers.dashboard import transfers_per_month
    from ngo.lib import charts

    when = timezone.localtime().replace(day=15, hour=12)
    with time_machine.travel(when, tick=False):
        transfer = services.transfer_request(
            actor=personas.counsellor_a, case=case, to_branch=branch_b, reason="Moved"
        )
        services.transfer_accept(
            actor=manager_b, transfer=transfer, assigned=[personas.counsellor_b]
        )
        months = charts.month_starts(timezone.localdate())
        busan = dict(transfers_per_month(user=manager_b, months=months))
        seoul = dict(transfers_per_month(user=personas.manager_a, months=months))
    assert busan == {"transferred in": [0] * 11 + [1], "transferred out": [0] * 12}
    assert seoul == {"transferred in": [0] * 12, "transferred out": [0] * 11 + [1]}
    assert transfers_per_month(user=personas.counsellor_a, months=months) == []
