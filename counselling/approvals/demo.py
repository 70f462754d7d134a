"""Demo data: the Seoul branch asks its manager to approve the safety plans
of high-risk cases; one awaits her approval."""

from counselling.approvals import services
from counselling.approvals.models import ApprovalRequest
from counselling.models import RiskLevel, SafetyPlan
from ngo.accounts.models import Branch, User
from ngo.accounts.services import branch_update


def load() -> None:
    if ApprovalRequest.objects.exists():
        return
    seoul = Branch.objects.filter(code="SEO").first()
    counsellor = User.objects.filter(email="counsellor@demo.hamkke.kr").first()
    if seoul is None or counsellor is None:
        return
    plan = (
        SafetyPlan.objects.filter(
            case__branch=seoul,
            is_active=True,
            case__risk_level__in=[RiskLevel.HIGH, RiskLevel.SEVERE],
        )
        .order_by("pk")
        .first()
    )
    if plan is None:
        return
    branch_update(actor=None, branch=seoul, high_risk_plan_needs_approval=True)
    services.plan_request(actor=plan.created_by or counsellor, plan=plan)
