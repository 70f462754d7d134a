"""What counselling adds to /api/v1/."""

from __future__ import annotations

from counselling.api.cases import CaseViewSet
from counselling.api.clients import ChildViewSet, ClientViewSet
from counselling.api.consents import ConsentViewSet
from counselling.api.documents import DocumentViewSet
from counselling.api.referrals import ReferralViewSet
from counselling.api.risk import RiskAssessmentViewSet, SafetyPlanViewSet
from counselling.api.sessions import CaseEventViewSet, SessionViewSet

ROUTES = [
    ("clients", ClientViewSet, "client"),
    ("children", ChildViewSet, "child"),
    ("cases", CaseViewSet, "case"),
    ("sessions", SessionViewSet, "session"),
    ("case-events", CaseEventViewSet, "case-event"),
    ("risk-assessments", RiskAssessmentViewSet, "risk-assessment"),
    ("safety-plans", SafetyPlanViewSet, "safety-plan"),
    ("referrals", ReferralViewSet, "referral"),
    ("consents", ConsentViewSet, "consent"),
    ("documents", DocumentViewSet, "document"),
]
