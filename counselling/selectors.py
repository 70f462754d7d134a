"""Reads of case data, always scoped to the person asking (ngo.access)."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

from counselling.access_rules import case_records_q
from counselling.filters import CaseFilter, ClientFilter
from counselling.models import (
    Case,
    CaseActivity,
    CaseEvent,
    CaseStatus,
    Child,
    Client,
    Consent,
    ConsentPurpose,
    CounsellingSession,
    Document,
    Referral,
    RiskAssessment,
    SafetyPlan,
    SafetyPlanReview,
    phone_index_of,
)
from ngo import access
from ngo.access import Need
from ngo.accounts.models import User
from ngo.lib.crypto import normalise_phone


def client_list(*, user: User, filters: dict | None = None) -> tuple[QuerySet, ClientFilter]:
    queryset = access.scope(user, Client.objects.select_related("branch"), Need.READ)
    filterset = ClientFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def case_queryset() -> QuerySet[Case]:
    return Case.objects.select_related("client", "branch").prefetch_related(
        Prefetch("assigned", queryset=User.objects.only("id", "full_name"))
    )


# What a line of the caseload shows: never the encrypted narrative (summary,
# closure note) nor the client's encrypted details, so a page decrypts nothing.
CASE_LIST_COLUMNS = (
    "client",
    "branch",
    "case_types",
    "status",
    "risk_level",
    "opened_on",
    "closed_on",
    "closure_reason",
    "restricted",
    "updated_at",
    "version",
    "client__case_code",
    "client__name_original",
    "client__name_romanised",
    "branch__code",
)


def case_list(
    *, user: User, filters: dict | None = None, assigned_to: User | None = None
) -> tuple[QuerySet, CaseFilter]:
    """The cases the user may see (only those assigned to `assigned_to`, if
    given), narrowed by the caseload filters, with the columns of the list only.
    Every filter is a condition on the case row (or a subquery), never a join
    that repeats it, so no DISTINCT is needed."""
    queryset = access.scope(user, case_queryset().only(*CASE_LIST_COLUMNS), Need.READ)
    if assigned_to is not None:
        assigned = Case.assigned.through.objects.filter(user=assigned_to).values("case_id")
        queryset = queryset.filter(pk__in=assigned)
    filterset = CaseFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return queryset.none(), filterset
    return filterset.qs, filterset


def my_cases(*, user: User) -> QuerySet[Case]:
    return (
        access.scope(user, case_queryset(), Need.READ)
        .filter(assigned=user)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("-updated_at")
    )


def client_possible_duplicates(
    *,
    user: User,
    name_original: str = "",
    name_romanised: str = "",
    birth_date: date | None = None,
    phone: str | None = None,
) -> list[Client]:
    """Clients the user can see with the same name and birth date, or the same
    phone. Records she cannot see are not mentioned (no existence leak)."""
    conditions = Q(pk__in=[])
    if birth_date:
        names = Q(pk__in=[])
        if name_original:
            names |= Q(name_original__iexact=name_original.strip())
        if name_romanised:
            names |= Q(name_romanised__iexact=name_romanised.strip())
        conditions |= Q(birth_date=birth_date) & names
    digits = normalise_phone(phone)
    if len(digits) >= 7:
        conditions |= Q(phone_index=phone_index_of(digits))
    return list(
        access.scope(user, Client.objects.select_related("branch"), Need.READ).filter(conditions)[
            :10
        ]
    )


def case_timeline(*, user: User, case: Case) -> QuerySet[CaseActivity]:
    """Everything that happened on the case (and to its client), newest first."""
    return (
        CaseActivity.objects.select_related("actor")
        .filter(Q(case=case) | Q(client_id=case.client_id, case__isnull=True))
        .filter(case_records_q(user, case))
        .order_by("-occurred_at", "-id")
    )


def consent_summary(*, client: Client, with_texts: bool = False) -> dict[str, object]:
    """The decision in force per purpose (None: never asked); `with_texts`: with
    the consent texts each was explained with, read in one more query."""
    latest: dict[str, object] = {purpose: None for purpose in ConsentPurpose.values}
    consents = client.consents.order_by("recorded_at", "id")
    if with_texts:
        consents = consents.prefetch_related("texts_shown")
    for consent in consents:
        latest[consent.purpose] = consent
    return latest


# --- The shapes each record is read in (pages and API alike) ----------------------------


def client_queryset() -> QuerySet[Client]:
    return Client.objects.select_related("branch", "created_by").prefetch_related("children")


def child_queryset() -> QuerySet[Child]:
    return Child.objects.select_related("client")


def session_queryset() -> QuerySet[CounsellingSession]:
    return CounsellingSession.objects.select_related("case", "staff")


def case_event_queryset() -> QuerySet[CaseEvent]:
    return CaseEvent.objects.select_related("case", "created_by")


def risk_assessment_queryset() -> QuerySet[RiskAssessment]:
    active_plans = SafetyPlan.objects.filter(case=OuterRef("case"), is_active=True)
    return RiskAssessment.objects.select_related("case", "assessed_by").annotate(
        safety_plan_active=Exists(active_plans),
        active_safety_plan=Subquery(active_plans.values("pk")[:1]),
    )


def safety_plan_queryset() -> QuerySet[SafetyPlan]:
    return SafetyPlan.objects.select_related("case", "created_by").prefetch_related(
        "items",
        Prefetch("reviews", queryset=SafetyPlanReview.objects.select_related("reviewed_by")),
    )


def referral_queryset() -> QuerySet[Referral]:
    return Referral.objects.select_related("case", "organisation", "created_by")


def consent_queryset() -> QuerySet[Consent]:
    return Consent.objects.select_related("client", "recorded_by").prefetch_related("texts_shown")


def document_queryset() -> QuerySet[Document]:
    return Document.objects.select_related("client", "uploaded_by")


# --- Detail pages ----------------------------------------------------------------------


def client_get(*, user: User, pk, need: Need = Need.READ, knowing: Need | None = None) -> Client:
    """One client for `user` (404 outside her scope, 403 read-only; audited);
    `knowing`: see access.get_for_user."""
    clients = Client.objects.select_related("branch")
    return access.get_for_user(user, clients, pk, need, knowing=knowing)


def cases_of_client(*, user: User, client: Client) -> list[Case]:
    return list(
        access.scope(user, case_queryset().filter(client=client), Need.READ).order_by(
            "-opened_on", "-id"
        )
    )


def documents_of_client(*, user: User, client: Client) -> list[Document]:
    return list(access.scope(user, Document.objects.filter(client=client)).order_by("-uploaded_at"))


def documents_of_case(*, user: User, case: Case) -> list[Document]:
    """This case's files and her files that belong to no case."""
    return list(
        Document.objects.filter(Q(case=case) | Q(case__isnull=True), client_id=case.client_id)
        .filter(case_records_q(user, case))
        .order_by("-uploaded_at")
    )


def _sessions_of(case: Case) -> list[CounsellingSession]:
    # Held on the case, so that a later `case.sessions.exists()` (the letters
    # panel asks) is answered without another query.
    sessions = Prefetch("sessions", queryset=CounsellingSession.objects.select_related("staff"))
    prefetch_related_objects([case], sessions)
    return list(case.sessions.all())


def case_page(*, user: User, case: Case) -> dict:
    """What the case page shows besides the case itself: the case's rows only."""
    assessments = list(case.risk_assessments.select_related("assessed_by")[:10])
    return {
        "timeline": list(case_timeline(user=user, case=case)),
        "assessments": assessments,
        "latest_assessment": assessments[0] if assessments else None,
        "plan": (
            case.safety_plans.filter(is_active=True)
            .prefetch_related("items", "reviews__reviewed_by")
            .first()
        ),
        "referrals": list(
            case.referrals.select_related("organisation").order_by("-sent_on", "-id")
        ),
        "sessions": _sessions_of(case),
        "events": list(case.events.all()),
        "assigned": list(case.assigned.all()),
        "documents": documents_of_case(user=user, case=case),
    }
