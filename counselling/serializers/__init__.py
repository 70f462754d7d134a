"""REST representations of case data, HackSoft style: output serializers say what
a reader sees, separate input serializers say what a writer may send.

Inputs are checked here for shape and vocabulary only (types, choices, code
lists); the rules of the work (workflow, consent, dates, branches) belong to
counselling.services, whose ValidationErrors the API turns into 400s.
Outputs carry decrypted fields: they are only ever given records that the
access module let the user read.
"""

from counselling.serializers._common import FlatListField, LanguageCodeField, UserRefSerializer
from counselling.serializers._common import _active_staff as _active_staff
from counselling.serializers._common import _choice_list as _choice_list
from counselling.serializers._common import _language_list as _language_list
from counselling.serializers._common import _text as _text
from counselling.serializers.cases import (
    CASE_SUMMARY_FIELDS,
    CaseActivitySerializer,
    CaseAssignInputSerializer,
    CaseInputSerializer,
    CaseOpenInputSerializer,
    CaseSerializer,
    CaseStatusInputSerializer,
    CaseSummarySerializer,
    CaseUpdateInputSerializer,
)
from counselling.serializers.clients import (
    CLIENT_SUMMARY_FIELDS,
    ChildInputSerializer,
    ChildSerializer,
    ClientCaseSerializer,
    ClientInputSerializer,
    ClientIntakeInputSerializer,
    ClientSerializer,
    ClientSummarySerializer,
    ConsentStateSerializer,
    DuplicateCheckInputSerializer,
    DuplicateCheckResultSerializer,
    DuplicateMatchSerializer,
    PossibleDuplicatesErrorBodySerializer,
    PossibleDuplicatesErrorSerializer,
)
from counselling.serializers.consents import ConsentInputSerializer, ConsentSerializer
from counselling.serializers.documents import DocumentInputSerializer, DocumentSerializer
from counselling.serializers.referrals import (
    ReferralInputSerializer,
    ReferralSerializer,
    ReferralStatusInputSerializer,
)
from counselling.serializers.risk import (
    RiskAssessmentInputSerializer,
    RiskAssessmentSerializer,
    SafetyPlanInputSerializer,
    SafetyPlanItemDoneInputSerializer,
    SafetyPlanItemInputSerializer,
    SafetyPlanItemSerializer,
    SafetyPlanReviewInputSerializer,
    SafetyPlanReviewSerializer,
    SafetyPlanSerializer,
)
from counselling.serializers.sessions import (
    CaseEventInputSerializer,
    CaseEventSerializer,
    CaseEventUpdateInputSerializer,
    SessionInputSerializer,
    SessionSerializer,
    SessionUpdateInputSerializer,
)

__all__ = [
    "CASE_SUMMARY_FIELDS",
    "CLIENT_SUMMARY_FIELDS",
    "CaseActivitySerializer",
    "CaseAssignInputSerializer",
    "CaseEventInputSerializer",
    "CaseEventSerializer",
    "CaseEventUpdateInputSerializer",
    "CaseInputSerializer",
    "CaseOpenInputSerializer",
    "CaseSerializer",
    "CaseStatusInputSerializer",
    "CaseSummarySerializer",
    "CaseUpdateInputSerializer",
    "ChildInputSerializer",
    "ChildSerializer",
    "ClientCaseSerializer",
    "ClientInputSerializer",
    "ClientIntakeInputSerializer",
    "ClientSerializer",
    "ClientSummarySerializer",
    "ConsentInputSerializer",
    "ConsentSerializer",
    "ConsentStateSerializer",
    "DocumentInputSerializer",
    "DocumentSerializer",
    "DuplicateCheckInputSerializer",
    "DuplicateCheckResultSerializer",
    "DuplicateMatchSerializer",
    "FlatListField",
    "LanguageCodeField",
    "PossibleDuplicatesErrorBodySerializer",
    "PossibleDuplicatesErrorSerializer",
    "ReferralInputSerializer",
    "ReferralSerializer",
    "ReferralStatusInputSerializer",
    "RiskAssessmentInputSerializer",
    "RiskAssessmentSerializer",
    "SafetyPlanInputSerializer",
    "SafetyPlanItemDoneInputSerializer",
    "SafetyPlanItemInputSerializer",
    "SafetyPlanItemSerializer",
    "SafetyPlanReviewInputSerializer",
    "SafetyPlanReviewSerializer",
    "SafetyPlanSerializer",
    "SessionInputSerializer",
    "SessionSerializer",
    "SessionUpdateInputSerializer",
    "UserRefSerializer",
]
