"""The counselling screens. Thin views: fetch through ngo.access (detail
reads are audited there), list through counselling.selectors, write through
counselling.services, re-render the form on a ValidationError."""

from counselling.views._common import (
    AREA,
    CASELOAD_PAGE_SIZE,
    SEARCH_PAGE_SIZE,
    URGENT_LEVELS,
    reads_cases,
)
from counselling.views._common import _activity_label as _activity_label
from counselling.views._common import _activity_link as _activity_link
from counselling.views._common import _case_action as _case_action
from counselling.views._common import _case_for as _case_for
from counselling.views._common import _case_page as _case_page
from counselling.views._common import _choice_label as _choice_label
from counselling.views._common import _may_see_caseload as _may_see_caseload
from counselling.views._common import _redirect_to_case as _redirect_to_case
from counselling.views._common import _type_labels as _type_labels
from counselling.views._common import _with_labels as _with_labels
from counselling.views.case_list import case_list
from counselling.views.caseload import caseload, caseload_export
from counselling.views.cases import (
    case_assign,
    case_detail,
    case_form,
    case_status,
    event_add,
    session_add,
)
from counselling.views.clients import _client_page as _client_page
from counselling.views.clients import (
    case_open,
    client_detail,
    client_document_add,
    client_edit,
    client_form,
    consent_add,
    index,
    intake,
)
from counselling.views.consent_forms import consent_form_print, consent_signed_form_add
from counselling.views.documents import document_add, document_download
from counselling.views.referrals import referral_add, referral_status
from counselling.views.risk import _active_plan as _active_plan
from counselling.views.risk import (
    risk_add,
    safety_plan_add,
    safety_plan_item_add,
    safety_plan_item_done,
    safety_plan_review,
)

__all__ = [
    "AREA",
    "CASELOAD_PAGE_SIZE",
    "case_list",
    "SEARCH_PAGE_SIZE",
    "URGENT_LEVELS",
    "case_assign",
    "case_detail",
    "case_form",
    "case_open",
    "case_status",
    "caseload",
    "caseload_export",
    "client_detail",
    "client_document_add",
    "client_edit",
    "client_form",
    "consent_add",
    "consent_form_print",
    "consent_signed_form_add",
    "document_add",
    "document_download",
    "event_add",
    "index",
    "intake",
    "reads_cases",
    "referral_add",
    "referral_status",
    "risk_add",
    "safety_plan_add",
    "safety_plan_item_add",
    "safety_plan_item_done",
    "safety_plan_review",
    "session_add",
]
