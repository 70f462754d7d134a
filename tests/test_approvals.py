"""Manager approvals: with the branch's setting on, a case cannot be closed
through the service, the screen or the API without the manager's approval;
off, it closes as before. A high-risk safety plan awaits approval. The
requester never approves; another branch's manager gets 404."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from counselling import services as counselling
from counselling.approvals import selectors, services
from counselling.approvals.models import ApprovalKind, ApprovalRequest, ApprovalStatus
from counselling.models import Case, CaseStatus
from ngo.accounts import services as accounts
from ngo.accounts.roles import Role
from ngo.audit.models import AuditEvent
from tests.factories import UserFactory

URGENT = {"threats_to_kill": True, "strangulation": True}


@pytest.fixture(autouse=True)
def _services_speak_english(_default_language):
    with translation.override("en"):
        yield


@pytest.fixture
def closing_needs_approval(branch_a, personas):
    accounts.branch_update(actor=personas.admin, branch=branch_a, closure_needs_approval=True)
    return branch_a


@pytest.fixture
def plans_need_approval(branch_a, personas):
    accounts.branch_update(
        actor=personas.admin, branch=branch_a, high_risk_plan_needs_approval=True
    )
    return branch_a


@pytest.fixture
def case(make_case, personas):
    return make_case(actor=personas.counsellor_a)


@pytest.fixture
def manager_b(branch_b):
    return UserFactory(email="manager.b@example.org", role=Role.BRANCH_MANAGER, branches=[branch_b])


def _close(actor, case, **extra):
    return counselling.case_change_status(
        actor=actor, case=case, to="closed", closure_reason="resolved", **extra
    )


def _status(case):
    return Case.objects.get(pk=case.pk).status


# --- The setting off: as before ---------------------------------------------------------------


def test_without_the_setting_a_case_closes_at_once(case, personas):
    _close(personas.counsellor_a, case)
    assert _status(case) == CaseStatus.CLOSED
    assert not ApprovalRequest.objects.exists()


# --- Closing with the setting on --------------------------------------------------------------


def test_the_service_asks_for_approval_instead_of_closing(case, personas, closing_needs_approval):
    today = timezone.localdate()
    returned = _close(personas.counsellor_a, case, closed_on=today, closure_note="She is safe")
    assert returned.status != CaseStatus.CLOSED and _status(case) != CaseStatus.CLOSED
    approval = ApprovalRequest.objects.get(case=case)
    assert (approval.kind, approval.status) == (ApprovalKind.CASE_CLOSURE, ApprovalStatus.PENDING)
    assert (approval.closed_on, approval.closure_reason) == (today, "resolved")
    assert approval.closure_note == "She is safe"
    with pytest.raises(ValidationError, match="already awaits"):
        _close(personas.counsellor_a, case)
    assert ApprovalRequest.objects.count() == 1
    with pytest.raises(ValidationError, match="reason"):
        counselling.case_change_status(actor=personas.counsellor_a, case=case, to="closed")
    assert AuditEvent.objects.filter(
        object_type="approvals.approvalrequest", object_id=str(approval.pk), action="create"
    ).exists()


def test_the_manager_approves_and_the_case_closes_as_asked(case, personas, closing_needs_approval):
    _close(personas.counsellor_a, case, closure_note="She is safe")
    approval = ApprovalRequest.objects.get(case=case)
    services.approval_approve(actor=personas.manager_a, approval=approval)
    case = Case.objects.get(pk=case.pk)
    assert case.status == CaseStatus.CLOSED
    assert (case.closure_reason, case.closure_note) == ("resolved", "She is safe")
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by) == (ApprovalStatus.APPROVED, personas.manager_a)
    assert AuditEvent.objects.filter(object_id=str(approval.pk), reason="approved").exists()


def test_declining_needs_a_reason_and_the_case_stays_open(case, personas, closing_needs_approval):
    _close(personas.counsellor_a, case)
    approval = ApprovalRequest.objects.get(case=case)
    with pytest.raises(ValidationError, match="Say why"):
        services.approval_decline(actor=personas.manager_a, approval=approval, reason="")
    services.approval_decline(actor=personas.manager_a, approval=approval, reason="Court pending")
    assert _status(case) != CaseStatus.CLOSED
    approval.refresh_from_db()
    assert (approval.status, approval.decline_reason) == ("declined", "Court pending")
    with pytest.raises(ValidationError, match="already been answered"):
        services.approval_approve(actor=personas.manager_a, approval=approval)


def test_the_requester_never_approves_even_as_manager(case, personas, closing_needs_approval):
    _close(personas.manager_a, case)
    approval = ApprovalRequest.objects.get(case=case)
    with pytest.raises(ValidationError, match="another manager"):
        services.approval_approve(actor=personas.manager_a, approval=approval)
    with pytest.raises(ValidationError, match="another manager"):
        services.approval_decline(actor=personas.manager_a, approval=approval, reason="No")
    assert _status(case) != CaseStatus.CLOSED
    assert ApprovalRequest.objects.get(pk=approval.pk).status == ApprovalStatus.PENDING


def test_a_counsellor_or_another_branch_manager_cannot_decide(
    case, personas, manager_b, closing_needs_approval, login
):
    _close(personas.counsellor_a, case)
    approval = ApprovalRequest.objects.get(case=case)
    with pytest.raises(PermissionDenied):
        services.approval_approve(actor=personas.counsellor_a, approval=approval)
    with pytest.raises(PermissionDenied):
        services.approval_approve(actor=manager_b, approval=approval)
    other = login(manager_b)
    url = reverse("approvals:approval_approve", args=[approval.pk])
    assert other.post(url).status_code == 404
    assert other.get(reverse("api:approval-detail", args=[approval.pk])).status_code == 404
    api = reverse("api:approval-approve", args=[approval.pk])
    assert other.post(api, content_type="application/json").status_code == 404
    assert other.get(reverse("api:approval-list")).json()["count"] == 0
    assert login(personas.counsellor_a).post(url).status_code == 403
    assert _status(case) != CaseStatus.CLOSED


def test_the_screen_asks_for_approval_and_the_case_says_so(
    case, personas, login, closing_needs_approval
):
    client = login(personas.counsellor_a)
    page = client.get(reverse("counselling:case_detail", args=[case.pk]))
    assert page.context["case"].branch.closure_needs_approval
    assert b'id="approvals"' in page.content  # the panel says closing needs approval
    answer = client.post(
        reverse("counselling:case_status", args=[case.pk]),
        {"status-to": "closed", "status-closure_reason": "resolved"},
    )
    assert answer.status_code == 302
    assert _status(case) != CaseStatus.CLOSED
    page = client.get(reverse("counselling:case_detail", args=[case.pk]))
    panels = [panel for panel in page.context["panels"] if "approvals" in panel.template]
    assert panels and panels[0].context["closure_awaiting"] is True
    assert b'id="approvals"' in page.content


def test_the_inbox_lists_it_and_the_manager_approves_on_screen(
    case, personas, login, closing_needs_approval
):
    _close(personas.counsellor_a, case)
    approval = ApprovalRequest.objects.get(case=case)
    manager = login(personas.manager_a)
    inbox = manager.get(reverse("approvals:approval_list"))
    assert [a.pk for a in inbox.context["awaiting"]] == [approval.pk]
    assert inbox.context["awaiting"][0].may_decide is True
    manager.post(reverse("approvals:approval_decline", args=[approval.pk]), {"reason": ""})
    assert ApprovalRequest.objects.get(pk=approval.pk).status == ApprovalStatus.PENDING
    manager.post(reverse("approvals:approval_approve", args=[approval.pk]))
    assert _status(case) == CaseStatus.CLOSED


def test_the_api_answers_202_and_the_manager_approves_through_it(
    case, personas, login, closing_needs_approval
):
    counsellor = login(personas.counsellor_a)
    url = reverse("api:case-change-status", args=[case.pk])
    body = {"to": "closed", "closure_reason": "resolved"}
    answer = counsellor.post(url, body, content_type="application/json")
    assert answer.status_code == 202 and answer.json()["status"] != "closed"
    assert _status(case) != CaseStatus.CLOSED
    approval = ApprovalRequest.objects.get(case=case)
    own = counsellor.post(
        reverse("api:approval-approve", args=[approval.pk]), content_type="application/json"
    )
    assert own.status_code == 403
    manager = login(personas.manager_a)
    listed = manager.get(reverse("api:approval-list"), {"awaiting": "true"})
    assert [row["id"] for row in listed.json()["results"]] == [approval.pk]
    assert manager.get(reverse("api:approval-list"), {"kind": "bogus"}).status_code == 400
    no_reason = manager.post(
        reverse("api:approval-decline", args=[approval.pk]), {}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    stale = manager.post(
        reverse("api:approval-approve", args=[approval.pk]),
        content_type="application/json",
        HTTP_IF_MATCH='"9"',
    )
    assert stale.status_code == 412
    approved = manager.post(
        reverse("api:approval-approve", args=[approval.pk]),
        content_type="application/json",
        HTTP_IF_MATCH=f'"{approval.version}"',
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert _status(case) == CaseStatus.CLOSED


def test_without_the_setting_the_api_closes_with_200(case, personas, login):
    answer = login(personas.counsellor_a).post(
        reverse("api:case-change-status", args=[case.pk]),
        {"to": "closed", "closure_reason": "resolved"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["status"] == "closed"


# --- Safety plans of high-risk cases ----------------------------------------------------------


def test_a_high_risk_plan_awaits_approval(case, personas, plans_need_approval):
    counselling.risk_assess(actor=personas.counsellor_a, case=case, answers=URGENT)
    plan = case.safety_plans.get(is_active=True)
    approval = ApprovalRequest.objects.get(case=case, kind=ApprovalKind.SAFETY_PLAN)
    assert approval.safety_plan == plan and approval.status == ApprovalStatus.PENDING
    # A new plan replaces the request of the old one.
    counselling.safety_plan_create(actor=personas.counsellor_a, case=Case.objects.get(pk=case.pk))
    newest = case.safety_plans.get(is_active=True)
    pending = ApprovalRequest.objects.get(case=case, status=ApprovalStatus.PENDING)
    assert pending.safety_plan == newest
    services.approval_approve(actor=personas.manager_a, approval=pending)
    assert ApprovalRequest.objects.get(pk=pending.pk).status == ApprovalStatus.APPROVED
    assert not selectors.awaiting_decision(user=personas.manager_a).exists()


def test_a_low_risk_plan_or_the_setting_off_needs_nothing(case, personas, branch_a):
    counselling.risk_assess(actor=personas.counsellor_a, case=case, answers=URGENT)
    assert not ApprovalRequest.objects.exists()  # setting off
    accounts.branch_update(
        actor=personas.admin, branch=branch_a, high_risk_plan_needs_approval=True
    )
    # Assessed low again: a new plan of a case no longer at high risk needs nothing.
    counselling.risk_assess(
        actor=personas.counsellor_a, case=Case.objects.get(pk=case.pk), answers={}
    )
    counselling.safety_plan_create(actor=personas.counsellor_a, case=Case.objects.get(pk=case.pk))
    assert not ApprovalRequest.objects.exists()
    counselling.risk_assess(
        actor=personas.counsellor_a, case=Case.objects.get(pk=case.pk), answers=URGENT
    )
    counselling.safety_plan_create(actor=personas.counsellor_a, case=Case.objects.get(pk=case.pk))
    assert ApprovalRequest.objects.filter(status=ApprovalStatus.PENDING).count() == 1


def test_the_branch_settings_are_edited_through_the_api(personas, login, branch_a):
    admin = login(personas.admin)
    answer = admin.patch(
        reverse("api:branch-detail", args=[branch_a.pk]),
        {"closure_needs_approval": True},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["closure_needs_approval"] is True
    branch_a.refresh_from_db()
    assert branch_a.closure_needs_approval and not branch_a.high_risk_plan_needs_approval
    bad = admin.patch(
        reverse("api:branch-detail", args=[branch_a.pk]),
        {"high_risk_plan_needs_approval": "maybe"},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_the_scrubber_blanks_the_notes(case, personas, closing_needs_approval):
    _close(personas.counsellor_a, case, closure_note="She is safe")
    approval = ApprovalRequest.objects.get(case=case)
    services.approval_decline(actor=personas.manager_a, approval=approval, reason="Court pending")
    assert services.scrub_approvals(case.client) == {"approvals.ApprovalRequest": 1}
    approval.refresh_from_db()
    assert (approval.closure_note, approval.decline_reason) == (None, None)
