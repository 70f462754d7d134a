"""The counselling REST API: thin viewsets that validate, fetch through the
access module, call a service or a selector, and render.

- Lists are scoped to the user (ScopedViewSetMixin or a selector that takes her).
- Retrieves go through access.get_for_user, which audits the read (404 outside
  her scope, 403 on a write she may only read).
- A create on a record that hangs off a case or a client fetches that parent
  with Need.WRITE first, so another branch's case answers 404 and a read-only
  role 403, before the service is called.
- Every write goes through counselling.services.
"""

from counselling.api._common import NO_CONTENT, RecordViewSet, SelectorFilterBackend
from counselling.api._common import _home_branch as _home_branch
from counselling.api._common import _prefixed as _prefixed
from counselling.api._common import _selected as _selected
from counselling.api._common import _writable as _writable
from counselling.api.cases import CaseViewSet
from counselling.api.clients import ChildViewSet, ClientViewSet
from counselling.api.clients import _client_detail as _client_detail
from counselling.api.clients import _possible_duplicates as _possible_duplicates
from counselling.api.consents import ConsentViewSet
from counselling.api.documents import DocumentFilter, DocumentViewSet
from counselling.api.referrals import ReferralViewSet
from counselling.api.risk import RiskAssessmentViewSet, SafetyPlanViewSet
from counselling.api.routes import ROUTES
from counselling.api.sessions import CaseEventViewSet, SessionViewSet

__all__ = [
    "CaseEventViewSet",
    "CaseViewSet",
    "ChildViewSet",
    "ClientViewSet",
    "ConsentViewSet",
    "DocumentFilter",
    "DocumentViewSet",
    "NO_CONTENT",
    "ROUTES",
    "RecordViewSet",
    "ReferralViewSet",
    "RiskAssessmentViewSet",
    "SafetyPlanViewSet",
    "SelectorFilterBackend",
    "SessionViewSet",
]
