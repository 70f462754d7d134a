"""Who may see and change case data. One rule per record type; the records
hanging off a case or a client follow the rule of their case or client.

- Case contents need the READ_CASES capability (counsellors, shelter workers,
  branch managers, administrators); coordinators, policy officers, auditors and
  volunteers see none.
- Own branches only, unless the role sees all branches (administrators).
- A restricted case: only its assigned staff and the managers of its branch.
- Writing needs WRITE_CASES (shelter workers read only).

The services a branch runs for the women it counsels (its shelters, its
programmes) are apps of their own that build on these rules (`branches_q`,
`any_of`, `visible_cases`) and share one rule for who sets them up
(`may_set_up`).
"""

from django.db.models import Exists, OuterRef, Q

from counselling.models import (
    Case,
    CaseActivity,
    CaseEvent,
    CaseStatusChange,
    Child,
    Client,
    Consent,
    CounsellingSession,
    Document,
    Referral,
    RiskAssessment,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
)
from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability

_NOTHING = None


def _may(user, need: Need) -> bool:
    if not user.can(Capability.READ_CASES):
        return False
    return need is Need.READ or user.can(Capability.WRITE_CASES)


def branches_q(user, field: str) -> Q:
    """Records of her branches (every branch for those who see all)."""
    if user.can(Capability.ALL_BRANCHES):
        return Q()
    return Q(**{f"{field}__in": user.branch_ids()})


def _case_q(user) -> Q:
    mine = Case.assigned.through.objects.filter(user_id=user.pk).values("case_id")
    open_to_me = Q(restricted=False) | Q(pk__in=mine)
    if user.can(Capability.MANAGE_BRANCH):
        open_to_me |= Q(branch_id__in=user.branch_ids())
    return branches_q(user, "branch_id") & open_to_me


def may_see_caseload(user) -> bool:
    """The branch caseload (every case of her branches she may see, and its
    export) is for branch managers and administrators."""
    return user.can(Capability.READ_CASES) and (
        user.can(Capability.MANAGE_BRANCH) or user.can(Capability.ALL_BRANCHES)
    )


def may_list_cases(user) -> bool:
    """The case list of her branches (her own cases first, the branch's on its
    second tab) is for the staff who counsel: every case of her branches she may
    see, restricted ones only when she is assigned (the Case rule)."""
    return user.can(Capability.READ_CASES) and user.can(Capability.WRITE_CASES)


def require_caseload(user) -> None:
    """PermissionDenied (audited) unless she may see the branch caseload."""
    if not may_see_caseload(user):
        access.refuse(user, Case, reason="caseload")


def visible_cases(user):
    return Case.objects.filter(_case_q(user))


def case_records_q(user, case: Case) -> Q:
    """What the Document and CaseActivity rule answers for the rows of this one
    case and of its client, asked of this case and this client's other cases only
    (a case page must not cost a scan of the archive): she reads the case, and no
    case of the same client is restricted away from her. A condition to add to
    the query of those rows: the database evaluates it once, by primary key."""
    if not _may(user, Need.READ):
        return Q(pk__in=[])
    hidden = Case.objects.filter(client_id=case.client_id, restricted=True).exclude(_case_q(user))
    readable = Case.objects.filter(pk=case.pk).filter(_case_q(user)).filter(~Exists(hidden))
    return Q(Exists(readable))


def any_of(first: Q, second: Q) -> Q:
    """first OR second. An empty Q (all branches) means everything, but Q's `|`
    drops an empty operand and would keep only the other condition."""
    if not first or not second:
        return Q()
    return first | second


def _client_q(user) -> Q:
    """Her branches' clients and the clients of cases she sees, unless one of the
    client's cases is restricted away from her. Asked per client (EXISTS on her own
    cases, by the case's client index), never as a set of the whole archive, so
    one client's page does not cost a scan of every restricted case."""
    of_client = Case.objects.filter(client_id=OuterRef("pk"))
    seen = Exists(of_client.filter(_case_q(user)))
    hidden = Exists(of_client.filter(restricted=True).exclude(_case_q(user)))
    return any_of(branches_q(user, "branch_id"), Q(seen)) & ~Q(hidden)


@access.rule(Case)
def case_rule(user, need: Need) -> Q | None:
    if not _may(user, need):
        return _NOTHING
    return _case_q(user)


@access.rule(Client)
def client_rule(user, need: Need) -> Q | None:
    if not _may(user, need):
        return _NOTHING
    return _client_q(user)


def _on_case(prefix: str = "case"):
    def rule(user, need: Need) -> Q | None:
        if not _may(user, need):
            return _NOTHING
        return Q(**{f"{prefix}__in": visible_cases(user).values("pk")})

    return rule


def _on_client(user, need: Need) -> Q | None:
    if not _may(user, need):
        return _NOTHING
    return Q(client__in=Client.objects.filter(_client_q(user)).values("pk"))


def _on_client_or_case(user, need: Need) -> Q | None:
    """Records on a client and optionally one of her cases (documents, timeline)."""
    client_q = _on_client(user, need)
    if client_q is None:
        return _NOTHING
    return client_q & (Q(case__isnull=True) | Q(case__in=visible_cases(user).values("pk")))


for _model in (
    CounsellingSession,
    CaseEvent,
    RiskAssessment,
    SafetyPlan,
    Referral,
    CaseStatusChange,
):
    access.rule(_model)(_on_case())
access.rule(SafetyPlanItem)(_on_case("plan__case"))
access.rule(SafetyPlanReview)(_on_case("plan__case"))
access.rule(Child)(_on_client)
access.rule(Consent)(_on_client)
access.rule(Document)(_on_client_or_case)
access.rule(CaseActivity)(_on_client_or_case)


# --- Setting up what a branch runs (shelters, rooms, beds, programmes) ------------------


def may_set_up(user, branch=None) -> bool:
    """Branch managers and administrators set up the shelters, rooms, beds and
    programmes of their branches (without `branch`: of some branch). Running them
    is each record's own rule: shelter workers run stays and holds, facilitators
    their programmes' classes and registers."""
    if not (user.can(Capability.MANAGE_BRANCH) or user.can(Capability.MANAGE_STAFF)):
        return False
    return branch is None or user.works_at(branch)


def require_set_up(user, obj_or_model, branch=None) -> None:
    """PermissionDenied (audited) unless `may_set_up`, for the screens and the API alike."""
    if not may_set_up(user, branch):
        access.refuse(user, obj_or_model, reason="set_up")


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_reads_cases = routes.has(Capability.READ_CASES)


def _case_action(record=Case) -> routes.Route:
    return routes.action(gate=_reads_cases, record=record)


routes.register(
    {
        "counselling:index": routes.page_with_forms(gate=_reads_cases),
        "counselling:intake": routes.form(gate=_reads_cases, creates=Client),
        "counselling:caseload": routes.search_page(gate=routes.Gate("caseload", may_see_caseload)),
        "counselling:case_list": routes.search_page(gate=routes.Gate("case_list", may_list_cases)),
        "counselling:caseload_export": routes.page(
            gate=_reads_cases, check=lambda user, _obj: may_see_caseload(user)
        ),
        "counselling:client_detail": routes.page(gate=_reads_cases, record=Client),
        "counselling:client_edit": routes.form(gate=_reads_cases, record=Client),
        "counselling:client_form": routes.form_fields(gate=_reads_cases, record=Client),
        "counselling:consent_add": _case_action(Client),
        "counselling:consent_form_print": routes.page(gate=_reads_cases, record=Client),
        "counselling:consent_signed_form_add": _case_action(Client),
        "counselling:case_open": _case_action(Client),
        "counselling:client_document_add": _case_action(Client),
        "counselling:case_detail": routes.page(gate=_reads_cases, record=Case),
        "counselling:case_form": routes.form_fields(gate=_reads_cases, record=Case),
        **{
            f"counselling:{name}": _case_action()
            for name in (
                "case_status",
                "case_assign",
                "session_add",
                "event_add",
                "risk_add",
                "safety_plan_add",
                "safety_plan_item_add",
                "safety_plan_review",
                "referral_add",
                "document_add",
            )
        },
        "counselling:safety_plan_item_done": _case_action(SafetyPlanItem),
        "counselling:referral_status": _case_action(Referral),
        "counselling:document_download": routes.page(gate=_reads_cases, record=Document),
        # The API.
        "api:client-list": routes.api_list(Client),
        "api:client-search": routes.api_search(),
        "api:client-check-duplicates": routes.api_action(record=False),
        "api:client-detail": routes.api_detail(Client),
        "api:client-children": routes.api_action(Client),
        "api:child-list": routes.api_list(Child, create=False),
        "api:child-detail": routes.api_detail(Child, write=("PATCH", "DELETE")),
        "api:case-list": routes.api_list(Case, on_parent=True),
        "api:case-search": routes.api_search(),
        "api:case-export-csv": routes.api_action(
            method="POST", reads=True, record=False, check=lambda user, _obj: may_see_caseload(user)
        ),
        "api:case-export-xlsx": routes.api_action(
            method="POST", reads=True, record=False, check=lambda user, _obj: may_see_caseload(user)
        ),
        "api:case-detail": routes.api_detail(Case),
        "api:case-assign": routes.api_action(Case),
        "api:case-change-status": routes.api_action(Case),
        "api:case-timeline": routes.api_action(Case, method="GET"),
        "api:session-list": routes.api_list(CounsellingSession, on_parent=True),
        "api:session-detail": routes.api_detail(CounsellingSession),
        "api:case-event-list": routes.api_list(CaseEvent, on_parent=True),
        "api:case-event-detail": routes.api_detail(CaseEvent),
        "api:risk-assessment-list": routes.api_list(RiskAssessment, on_parent=True),
        "api:risk-assessment-detail": routes.api_detail(RiskAssessment, write=()),
        "api:safety-plan-list": routes.api_list(SafetyPlan, on_parent=True),
        "api:safety-plan-detail": routes.api_detail(SafetyPlan, write=()),
        "api:safety-plan-items": routes.api_action(SafetyPlan),
        "api:safety-plan-item-done": routes.api_action(SafetyPlan),
        "api:safety-plan-reviews": routes.api_action(SafetyPlan),
        "api:referral-list": routes.api_list(Referral, on_parent=True),
        "api:referral-detail": routes.api_detail(Referral, write=()),
        "api:referral-change-status": routes.api_action(Referral),
        "api:consent-list": routes.api_list(Consent, on_parent=True),
        "api:consent-detail": routes.api_detail(Consent, write=()),
        "api:document-list": routes.api_list(Document, on_parent=True),
        "api:document-detail": routes.api_detail(Document, write=()),
        "api:document-download": routes.api_action(Document, method="GET"),
    }
)
