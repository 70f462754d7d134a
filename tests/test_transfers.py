"""Transfers of a case between branches: the request and its refusals, the
receiving manager's view before acceptance, the move in one transaction, who
reads what before and after, declining and cancelling."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from counselling import services as counselling
from counselling.models import Case, CaseActivity, CaseStatus, Client
from counselling.shelters.models import Stay
from counselling.transfers import selectors, services
from counselling.transfers.models import Transfer, TransferStatus
from ngo.accounts.roles import Role
from ngo.audit.models import AuditEvent
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
    case = make_case(actor=personas.counsellor_a, languages=["vi", "ko"])
    counselling.session_record(
        actor=personas.counsellor_a, case=case, mode="in_person", notes="Seoul session note"
    )
    return case


@pytest.fixture
def requested(case, personas, branch_b):
    return services.transfer_request(
        actor=personas.counsellor_a,
        case=case,
        to_branch=branch_b,
        reason="She moved to Busan",
        note="Hearing in Busan next month",
    )


def _accept(transfer, manager, *staff):
    return services.transfer_accept(actor=manager, transfer=transfer, assigned=list(staff))


# --- Requesting -----------------------------------------------------------------------------


def test_a_request_awaits_the_receiving_branch_and_is_audited(requested, case, branch_a, branch_b):
    assert requested.status == TransferStatus.PENDING
    assert (requested.from_branch, requested.to_branch) == (branch_a, branch_b)
    assert Transfer.objects.get(pk=requested.pk).reason == "She moved to Busan"
    case.refresh_from_db()
    assert case.branch == branch_a  # nothing moves before acceptance
    assert AuditEvent.objects.filter(
        object_type="transfers.transfer", object_id=str(requested.pk), action="create"
    ).exists()


@pytest.mark.parametrize(
    "problem, message",
    [
        ("same_branch", "already at this branch"),
        ("second", "already has a transfer awaiting"),
        ("closed", "closed case is not transferred"),
        ("no_reason", "Say why"),
    ],
)
def test_a_request_refused_saves_nothing(
    problem, message, case, personas, branch_a, branch_b, requested
):
    target, reason = branch_b, "Because"
    if problem == "same_branch":
        target = branch_a
    if problem == "no_reason":
        reason = "   "
    if problem in ("closed", "same_branch", "no_reason"):
        services.transfer_cancel(actor=personas.counsellor_a, transfer=requested)
    if problem == "closed":
        counselling.case_change_status(
            actor=personas.counsellor_a, case=case, to="closed", closure_reason="resolved"
        )
    before = Transfer.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.transfer_request(
            actor=personas.counsellor_a, case=case, to_branch=target, reason=reason
        )
    assert Transfer.objects.count() == before


def test_the_request_screen_shows_the_errors_and_saves_nothing(case, personas, login, branch_a):
    client = login(personas.counsellor_a)
    answer = client.post(
        reverse("transfers:transfer_request", args=[case.pk]), {"to_branch": branch_a.pk}
    )
    assert answer.status_code == 302 and "#transfers" in answer["Location"]
    assert not Transfer.objects.exists()
    page = client.get(reverse("counselling:case_detail", args=[case.pk]))
    assert b'id="transfers"' in page.content


def test_the_case_page_panel_requests_a_transfer(case, personas, login, branch_b):
    client = login(personas.counsellor_a)
    answer = client.post(
        reverse("transfers:transfer_request", args=[case.pk]),
        {"to_branch": branch_b.pk, "reason": "She moved", "note": ""},
    )
    assert answer.status_code == 302
    transfer = Transfer.objects.get(case=case)
    assert transfer.to_branch == branch_b and transfer.note is None
    page = client.get(reverse("counselling:case_detail", args=[case.pk]))
    assert reverse("transfers:transfer_detail", args=[transfer.pk]).encode() in page.content


def test_a_shelter_worker_who_reads_the_case_cannot_request(case, personas, login, branch_b):
    answer = login(personas.shelter_worker_a).post(
        reverse("transfers:transfer_request", args=[case.pk]),
        {"to_branch": branch_b.pk, "reason": "x"},
    )
    assert answer.status_code == 403
    assert not Transfer.objects.exists()


# --- Before acceptance: the receiving branch ------------------------------------------------


def test_the_receiving_manager_sees_the_request_but_not_the_file(
    requested, case, personas, login, manager_b
):
    client = login(manager_b)
    listed = client.get(reverse("transfers:transfer_list"))
    assert case.client.case_code.encode() in listed.content
    detail = client.get(reverse("transfers:transfer_detail", args=[requested.pk]))
    assert detail.status_code == 200
    assert case.client.case_code.encode() in detail.content
    assert b"She moved to Busan" in detail.content
    assert b"Client " not in detail.content  # her name is not shown
    assert client.get(reverse("counselling:case_detail", args=[case.pk])).status_code == 404
    assert (
        client.get(reverse("counselling:client_detail", args=[case.client_id])).status_code == 404
    )
    assert client.get(reverse("api:case-detail", args=[case.pk])).status_code == 404


def test_a_counsellor_of_the_receiving_branch_does_not_see_the_request(requested, personas, login):
    client = login(personas.counsellor_b)
    assert client.get(reverse("transfers:transfer_detail", args=[requested.pk])).status_code == 404
    assert not selectors.transfer_list(user=personas.counsellor_b).exists()


def test_the_screen_says_what_moves_with_her_and_that_her_stay_does_not(
    requested, case, personas, login, manager_b, shelter, make_case
):
    from counselling.shelters import services as ss

    counselling.case_open(actor=personas.counsellor_a, client=case.client, case_types=["labour"])
    ss.stay_admit(actor=personas.manager_a, case=case, bed=shelter.test_beds["a"])
    detail = login(manager_b).get(reverse("transfers:transfer_detail", args=[requested.pk]))
    assert detail.context["in_shelter"] is True
    assert len(detail.context["moving"]) == 1
    assert detail.context["accept_form"] is not None


# --- Acceptance -----------------------------------------------------------------------------


def test_acceptance_moves_her_cases_her_record_and_her_staff(
    requested, case, personas, manager_b, branch_a, branch_b
):
    client = case.client
    code = client.case_code
    other_open = counselling.case_open(
        actor=personas.counsellor_a, client=client, case_types=["labour"]
    )
    closed = counselling.case_open(
        actor=personas.counsellor_a, client=client, case_types=["health"]
    )
    counselling.case_change_status(
        actor=personas.counsellor_a, case=closed, to="closed", closure_reason="resolved"
    )
    earlier = set(
        AuditEvent.objects.filter(
            object_type="counselling.case", object_id=str(case.pk)
        ).values_list("pk", "branch_id")
    )
    transfer = _accept(requested, manager_b, personas.counsellor_b)
    assert transfer.status == TransferStatus.ACCEPTED
    assert transfer.moved_cases == [other_open.pk]
    for moved in (case, other_open):
        moved.refresh_from_db()
        assert moved.branch == branch_b
        assert list(moved.assigned.all()) == [personas.counsellor_b]
    closed.refresh_from_db()
    assert closed.branch == branch_a  # a closed case stays with the branch that closed it
    client = Client.objects.get(pk=client.pk)
    assert client.branch == branch_b and client.case_code == code
    line = CaseActivity.objects.get(case=case, object_type="transfers.transfer")
    assert line.label == "transfer:SEO:BUS"
    # What was audited before keeps its branch; the accept is audited.
    assert earlier <= set(
        AuditEvent.objects.filter(
            object_type="counselling.case", object_id=str(case.pk)
        ).values_list("pk", "branch_id")
    )
    assert {branch for _pk, branch in earlier} == {branch_a.pk}
    assert AuditEvent.objects.filter(
        object_type="transfers.transfer", object_id=str(transfer.pk), reason="accepted"
    ).exists()


def test_the_timeline_names_both_branches(requested, case, personas, manager_b, login):
    _accept(requested, manager_b, personas.counsellor_b)
    with translation.override("en"):
        page = login(personas.counsellor_b).get(
            reverse("counselling:case_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    labels = [activity.display_label for activity in page.context["timeline"]]
    assert any("SEO" in label and "BUS" in label for label in labels)


def test_after_acceptance_the_sending_branch_gets_404_and_the_receiving_one_reads(
    requested, case, personas, manager_b, login
):
    session = case.sessions.get()
    pages = [
        reverse("counselling:case_detail", args=[case.pk]),
        reverse("counselling:client_detail", args=[case.client_id]),
        reverse("api:case-detail", args=[case.pk]),
        reverse("api:client-detail", args=[case.client_id]),
        reverse("api:session-detail", args=[session.pk]),
        reverse("api:case-timeline", args=[case.pk]),
    ]
    sending, receiving = login(personas.counsellor_a), login(personas.counsellor_b)
    assert [sending.get(url).status_code for url in pages] == [200] * len(pages)
    assert [receiving.get(url).status_code for url in pages] == [404] * len(pages)
    _accept(requested, manager_b, personas.counsellor_b)
    assert [sending.get(url).status_code for url in pages] == [404] * len(pages)
    assert [receiving.get(url).status_code for url in pages] == [200] * len(pages)
    assert sending.get(reverse("api:session-list")).json()["count"] == 0
    assert receiving.get(reverse("api:session-list")).json()["count"] == 1


def test_a_failure_during_the_move_leaves_nothing_half_moved(
    requested, case, personas, manager_b, branch_a, monkeypatch
):
    other = counselling.case_open(
        actor=personas.counsellor_a, client=case.client, case_types=["labour"]
    )
    calls = []
    real = services._timeline

    def fail_on_the_second_case(**kwargs):
        calls.append(kwargs["case"].pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "_timeline", fail_on_the_second_case)
    with pytest.raises(RuntimeError):
        _accept(requested, manager_b, personas.counsellor_b)
    assert calls == [case.pk, other.pk]  # the first case had moved when it failed
    assert set(Case.objects.filter(client=case.client).values_list("branch", flat=True)) == {
        branch_a.pk
    }
    assert Client.objects.get(pk=case.client_id).branch == branch_a
    assert list(Case.objects.get(pk=case.pk).assigned.all()) == [personas.counsellor_a]
    assert Transfer.objects.get(pk=requested.pk).status == TransferStatus.PENDING
    assert not CaseActivity.objects.filter(object_type="transfers.transfer").exists()


def test_the_accept_screen_assigns_the_chosen_counsellor(
    requested, case, personas, manager_b, login
):
    client = login(manager_b)
    url = reverse("transfers:transfer_accept", args=[requested.pk])
    empty = client.post(url, {})
    assert empty.status_code == 302 and Transfer.objects.get(pk=requested.pk).status == "pending"
    wrong = client.post(url, {"assigned": [personas.counsellor_a.pk]})
    assert wrong.status_code == 302 and Transfer.objects.get(pk=requested.pk).status == "pending"
    done = client.post(url, {"assigned": [personas.counsellor_b.pk]})
    assert done.status_code == 302
    assert done["Location"] == reverse("counselling:case_detail", args=[case.pk])
    assert Case.objects.get(pk=case.pk).assigned.get() == personas.counsellor_b


def test_only_a_manager_of_the_receiving_branch_accepts(requested, personas, login):
    with pytest.raises(PermissionDenied):
        _accept(requested, personas.manager_a, personas.counsellor_b)
    answer = login(personas.manager_a).post(
        reverse("transfers:transfer_accept", args=[requested.pk]),
        {"assigned": [personas.counsellor_b.pk]},
    )
    assert answer.status_code == 403
    assert Transfer.objects.get(pk=requested.pk).status == TransferStatus.PENDING


def test_the_requester_never_accepts_her_own_request(case, branch_a, branch_b, personas):
    both = UserFactory(role=Role.BRANCH_MANAGER, branches=[branch_a, branch_b])
    transfer = services.transfer_request(
        actor=both, case=case, to_branch=branch_b, reason="Closer to her work"
    )
    with pytest.raises(ValidationError, match="another manager"):
        _accept(transfer, both, personas.counsellor_b)
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.PENDING


# --- Declining and cancelling ---------------------------------------------------------------


def test_declining_needs_a_reason_and_leaves_the_case(requested, case, manager_b, branch_a):
    with pytest.raises(ValidationError, match="Say why"):
        services.transfer_decline(actor=manager_b, transfer=requested, reason=" ")
    declined = services.transfer_decline(actor=manager_b, transfer=requested, reason="No room")
    assert declined.status == TransferStatus.DECLINED
    assert Transfer.objects.get(pk=requested.pk).decline_reason == "No room"
    assert Case.objects.get(pk=case.pk).branch == branch_a
    with pytest.raises(ValidationError, match="already been answered"):
        _accept(declined, manager_b)
    assert AuditEvent.objects.filter(object_id=str(requested.pk), reason="declined").exists()


def test_the_requester_cancels_and_the_receiving_manager_cannot(
    requested, personas, manager_b, login
):
    assert (
        login(manager_b).post(reverse("transfers:transfer_cancel", args=[requested.pk])).status_code
        == 403
    )
    answer = login(personas.counsellor_a).post(
        reverse("transfers:transfer_cancel", args=[requested.pk])
    )
    assert answer.status_code == 302
    assert Transfer.objects.get(pk=requested.pk).status == TransferStatus.CANCELLED
    assert AuditEvent.objects.filter(object_id=str(requested.pk), reason="cancelled").exists()


def test_the_decline_screen_requires_a_reason(requested, manager_b, login):
    client = login(manager_b)
    url = reverse("transfers:transfer_decline", args=[requested.pk])
    client.post(url, {"reason": ""})
    assert Transfer.objects.get(pk=requested.pk).status == TransferStatus.PENDING
    client.post(url, {"reason": "No counsellor speaks Vietnamese this month"})
    assert Transfer.objects.get(pk=requested.pk).status == TransferStatus.DECLINED


# --- Her records destroyed ------------------------------------------------------------------


def test_the_scrubber_blanks_the_free_text(requested, case, manager_b):
    services.transfer_decline(actor=manager_b, transfer=requested, reason="No room")
    assert services.scrub_transfers(case.client) == {"transfers.Transfer": 1}
    transfer = Transfer.objects.get(pk=requested.pk)
    assert (transfer.reason, transfer.note, transfer.decline_reason) == (None, None, None)
    assert transfer.status == TransferStatus.DECLINED


def test_a_stay_does_not_move(requested, case, personas, manager_b, shelter):
    from counselling.shelters import services as ss

    stay = ss.stay_admit(actor=personas.manager_a, case=case, bed=shelter.test_beds["a"])
    _accept(requested, manager_b, personas.counsellor_b)
    stay = Stay.objects.get(pk=stay.pk)
    assert stay.shelter == shelter and stay.discharged_on is None
    assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED
