"""Clients, cases and everything recorded on them.

Sensitive free text and contact data are encrypted columns (ngo.lib.crypto);
names stay searchable. Every record is reached through counselling.access_rules
and written through counselling.services.
"""

# In the order the models were declared, so that they register in that order.
# isort: off
from counselling.models.choices import (
    ResidenceStatus,
    MaritalStatus,
    CaseType,
    CaseStatus,
    RiskLevel,
    ClosureReason,
    SessionMode,
    Service,
    CaseEventKind,
    ConsentPurpose,
    ReferralStatus,
    REFERRAL_TRANSITIONS,
    REFERRAL_ORGANISATION_KINDS,
)
from counselling.models.clients import (
    phone_index_of,
    residence_index_of,
    CaseCodeCounter,
    Client,
    Child,
)
from counselling.models.cases import (
    Case,
    CaseEvent,
    CaseStatusChange,
    CounsellingSession,
    case_type_q,
)
from counselling.models.risk import (
    RISK_INDICATORS,
    RiskAssessment,
    SafetyPlan,
    SafetyPlanItem,
    SafetyPlanReview,
)
from counselling.models.consents import Consent
from counselling.models.referrals import Referral
from counselling.models.documents import Document, DocumentCategory, DocumentKind
from counselling.models.activity import CaseActivity
# isort: on

__all__ = [
    "case_type_q",
    "Case",
    "CaseActivity",
    "CaseCodeCounter",
    "CaseEvent",
    "CaseEventKind",
    "CaseStatus",
    "CaseStatusChange",
    "CaseType",
    "Child",
    "Client",
    "ClosureReason",
    "Consent",
    "ConsentPurpose",
    "CounsellingSession",
    "Document",
    "DocumentCategory",
    "DocumentKind",
    "MaritalStatus",
    "REFERRAL_ORGANISATION_KINDS",
    "REFERRAL_TRANSITIONS",
    "RISK_INDICATORS",
    "Referral",
    "ReferralStatus",
    "ResidenceStatus",
    "RiskAssessment",
    "RiskLevel",
    "SafetyPlan",
    "SafetyPlanItem",
    "SafetyPlanReview",
    "Service",
    "SessionMode",
    "phone_index_of",
    "residence_index_of",
]
