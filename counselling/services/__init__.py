"""Every write on case data. Each service is atomic, takes the acting user,
validates before it saves (nothing half-saved), writes its audit event and its
timeline line in the same transaction.

Callers (views, API, admin, tasks) fetch records through ngo.access first;
services check what only they can know (workflow, consent, the target branch).
"""

from counselling.services._common import (
    CASE_FIELDS,
    CHILD_FIELDS,
    CLIENT_FIELDS,
    EVENT_FIELDS,
    FOLLOW_UP_AFTER_HIGH_RISK,
    OVERRIDE_MIN_LENGTH,
    SESSION_FIELDS,
)
from counselling.services._common import _activity as _activity
from counselling.services._common import _check_assignees as _check_assignees
from counselling.services._common import _check_branch as _check_branch
from counselling.services._common import _must_be_open as _must_be_open
from counselling.services._common import _not_in_past as _not_in_past
from counselling.services._common import _pick as _pick
from counselling.services._common import _refresh_phone_index as _refresh_phone_index
from counselling.services.cases import _ALLOWED_MOVES as _ALLOWED_MOVES
from counselling.services.cases import case_assign, case_change_status, case_open, case_update
from counselling.services.clients import (
    PossibleDuplicates,
    child_add,
    child_remove,
    child_update,
    client_intake,
    client_update,
)
from counselling.services.clients import _next_case_code as _next_case_code
from counselling.services.clients import _save_children as _save_children
from counselling.services.consents import (
    consent_attach_signed_form,
    consent_in_force,
    consent_record,
    consents_record,
)
from counselling.services.documents import _EXTENSIONS as _EXTENSIONS
from counselling.services.documents import (
    ALLOWED_TYPES,
    DOCUMENT_AREA,
    document_content,
    document_path,
    document_upload,
)
from counselling.services.referrals import referral_change_status, referral_create
from counselling.services.risk import (
    risk_assess,
    risk_score,
    safety_plan_create,
    safety_plan_item_add,
    safety_plan_item_set_done,
    safety_plan_review,
)
from counselling.services.sessions import (
    case_event_add,
    case_event_update,
    session_record,
    session_update,
)

__all__ = [
    "ALLOWED_TYPES",
    "CASE_FIELDS",
    "CHILD_FIELDS",
    "CLIENT_FIELDS",
    "DOCUMENT_AREA",
    "EVENT_FIELDS",
    "FOLLOW_UP_AFTER_HIGH_RISK",
    "OVERRIDE_MIN_LENGTH",
    "PossibleDuplicates",
    "SESSION_FIELDS",
    "case_assign",
    "case_change_status",
    "case_event_add",
    "case_event_update",
    "case_open",
    "case_update",
    "child_add",
    "child_remove",
    "child_update",
    "client_intake",
    "client_update",
    "consent_attach_signed_form",
    "consent_in_force",
    "consent_record",
    "consents_record",
    "document_content",
    "document_path",
    "document_upload",
    "referral_change_status",
    "referral_create",
    "risk_assess",
    "risk_score",
    "safety_plan_create",
    "safety_plan_item_add",
    "safety_plan_item_set_done",
    "safety_plan_review",
    "session_record",
    "session_update",
]
