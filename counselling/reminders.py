"""The counselling deadlines that reminders watch.

Every item's reference is the client's case code; no name ever leaves in a reminder.
A follow-up counts as done once a later session is logged on the case."""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Client,
    CounsellingSession,
    Document,
    RiskAssessment,
    SafetyPlan,
)
from ngo.accounts.models import User
from ngo.accounts.roles import Role
from ngo.reminders.registry import Item, Rule, Source, register

ASSIGNED = {"assigned": _("Assigned staff")}
MANAGER = {"manager": _("Branch manager")}


def _staff_by_branch(role: str, branch_ids) -> dict[int, set[int]]:
    Membership = User.branches.through
    found = defaultdict(set)
    rows = Membership.objects.filter(
        branch_id__in=set(branch_ids), user__role=role, user__is_active=True
    ).values_list("branch_id", "user_id")
    for branch_id, user_id in rows:
        found[branch_id].add(user_id)
    return found


def _case_url(case_id: int) -> str:
    return reverse("counselling:case_detail", args=[case_id])


def _open(prefix: str = "") -> Q:
    return ~Q(**{f"{prefix}status": CaseStatus.CLOSED})


def _case_scoped(records, case_path: str):
    """Records of open cases, with what reminders need in one or two queries."""
    return (
        records.filter(_open(f"{case_path}__"))
        .select_related(f"{case_path}__client")
        .prefetch_related(f"{case_path}__assigned")
    )


def _case_item(record, due, case, kind="", **audiences) -> Item:
    """An item of a case: reference the case code, link the case page."""
    return Item(
        record=record,
        due=due,
        kind=kind,
        reference=case.client.case_code,
        url=_case_url(case.pk),
        recipients={"assigned": {u.pk for u in case.assigned.all()}, **audiences},
        branch_id=case.branch_id,
    )


def _on_case(model, case_path="case"):
    return lambda case: model.objects.filter(**{case_path: case}).values_list("pk", flat=True)


@register
class VisaExpiry(Source):
    key = "counselling.visa_expiry"
    label = _("Visa expiry")
    model = Client
    due_field = "visa_expiry"
    audiences = ASSIGNED
    default_rules = [Rule(days, "assigned") for days in (60, 30, 7, 1)]
    watch = {
        Client: lambda client: [client.pk],
        Case: lambda case: [case.client_id],
        Case.assigned.through: lambda case: [case.client_id],
    }

    def queryset(self):
        return Client.objects.filter(
            Exists(Case.objects.filter(_open(), client=OuterRef("pk")))
        ).prefetch_related("cases__assigned")

    def items(self, records):
        for client in records:
            cases = [case for case in client.cases.all() if case.status != CaseStatus.CLOSED]
            if not cases:
                continue
            case = max(cases, key=lambda c: (c.opened_on, c.pk))
            yield Item(
                record=client,
                due=client.visa_expiry,
                reference=client.case_code,
                url=_case_url(case.pk),
                recipients={"assigned": {u.pk for c in cases for u in c.assigned.all()}},
                branch_id=case.branch_id,
            )


def _documents_of_client(client_id):
    return Document.objects.filter(client_id=client_id, expires_on__isnull=False).values_list(
        "pk", flat=True
    )


@register
class DocumentExpiry(Source):
    """Her passport, alien registration card, court order... running out: the
    same lead times as her visa, to the assigned staff of the document's case
    (of her open cases, for a document of hers on no case)."""

    key = "counselling.document_expiry"
    label = _("Document expiry")
    model = Document
    due_field = "expires_on"
    audiences = ASSIGNED
    default_rules = VisaExpiry.default_rules
    watch = {
        Document: lambda document: [document.pk],
        Case: lambda case: _documents_of_client(case.client_id),
        Case.assigned.through: lambda case: _documents_of_client(case.client_id),
    }

    def queryset(self):
        return (
            # A paper stored as already expired is not reminded.
            Document.objects.filter(expires_on__gte=timezone.localdate())
            .filter(Exists(Case.objects.filter(_open(), client=OuterRef("client"))))
            .select_related("client", "case")
            .prefetch_related("client__cases__assigned")
        )

    def items(self, records):
        for document in records:
            cases = [c for c in document.client.cases.all() if c.status != CaseStatus.CLOSED]
            if document.case_id is not None:
                cases = [c for c in cases if c.pk == document.case_id]
            if not cases:
                continue
            case = max(cases, key=lambda c: (c.opened_on, c.pk))
            yield Item(
                record=document,
                due=document.expires_on,
                kind=document.get_category_display(),
                reference=document.client.case_code,
                url=_case_url(case.pk),
                recipients={"assigned": {u.pk for c in cases for u in c.assigned.all()}},
                branch_id=case.branch_id,
            )


@register
class CaseEventDue(Source):
    key = "counselling.case_event"
    label = _("Hearing or appointment")
    model = CaseEvent
    due_field = "starts_at"
    audiences = ASSIGNED
    default_rules = [Rule(7, "assigned"), Rule(1, "assigned")]
    watch = {
        CaseEvent: lambda event: [event.pk],
        Case: _on_case(CaseEvent),
        Case.assigned.through: _on_case(CaseEvent),
    }

    def queryset(self):
        return _case_scoped(CaseEvent.objects.filter(done=False), "case")

    def items(self, records):
        for event in records:
            yield _case_item(event, event.starts_at, event.case, kind=event.get_kind_display())


class _FollowUp(Source):
    """On the day to the assigned staff; the day after, if still not done, to the
    branch manager."""

    audiences = {**ASSIGNED, **MANAGER}
    default_rules = [Rule(0, "assigned"), Rule(-1, "manager")]
    time_field = ""

    def items(self, records):
        records = list(records)
        managers = _staff_by_branch(Role.BRANCH_MANAGER, {r.case.branch_id for r in records})
        for record in records:
            yield _case_item(
                record,
                getattr(record, self.due_field),
                record.case,
                manager=managers.get(record.case.branch_id, set()),
            )

    def queryset(self):
        later = CounsellingSession.objects.filter(
            case=OuterRef("case"), started_at__gt=OuterRef(self.time_field)
        )
        return _case_scoped(self.model.objects.filter(~Exists(later)), "case")


def _sessions_of_case(session):
    return CounsellingSession.objects.filter(case_id=session.case_id).values_list("pk", flat=True)


@register
class SessionFollowUp(_FollowUp):
    key = "counselling.session_follow_up"
    label = _("Follow-up")
    model = CounsellingSession
    due_field = "follow_up_on"
    time_field = "started_at"
    # A new session closes the follow-ups of the earlier ones.
    watch = {
        CounsellingSession: _sessions_of_case,
        Case: _on_case(CounsellingSession),
        Case.assigned.through: _on_case(CounsellingSession),
    }


@register
class RiskFollowUp(_FollowUp):
    key = "counselling.risk_follow_up"
    label = _("Follow-up after a risk assessment")
    model = RiskAssessment
    due_field = "follow_up_by"
    time_field = "assessed_at"
    watch = {
        RiskAssessment: lambda assessment: [assessment.pk],
        CounsellingSession: lambda session: RiskAssessment.objects.filter(
            case_id=session.case_id
        ).values_list("pk", flat=True),
        Case: _on_case(RiskAssessment),
        Case.assigned.through: _on_case(RiskAssessment),
    }


@register
class SafetyPlanReviewDue(Source):
    key = "counselling.safety_plan_review"
    label = _("Safety plan review")
    model = SafetyPlan
    due_field = "next_review_on"
    audiences = ASSIGNED
    default_rules = [Rule(1, "assigned"), Rule(0, "assigned")]
    watch = {
        SafetyPlan: lambda plan: [plan.pk],
        Case: _on_case(SafetyPlan),
        Case.assigned.through: _on_case(SafetyPlan),
    }

    def queryset(self):
        return _case_scoped(SafetyPlan.objects.filter(is_active=True), "case")

    def items(self, records):
        for plan in records:
            yield _case_item(plan, plan.next_review_on, plan.case)
