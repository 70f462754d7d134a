"""Manager approvals a branch may ask for, without counselling depending on
the app that records them (counselling.approvals).

A branch may want its manager to approve the closing of a case
(`Branch.closure_needs_approval`) or the safety plan of a high-risk case
(`Branch.high_risk_plan_needs_approval`). Where it does, the counselling
services hand the change to the function registered for its kind, which
records a request for the manager instead:

    from counselling import reviews

    reviews.register(reviews.CLOSURE, approvals.services.closure_request)

A closure with no function registered cannot be made at such a branch (the
service refuses it); a plan is then saved as it always was.
"""

from __future__ import annotations

from collections.abc import Callable

CLOSURE = "case_closure"
SAFETY_PLAN = "safety_plan"

_REVIEWS: dict[str, Callable] = {}


def register(kind: str, func: Callable) -> Callable:
    _REVIEWS[kind] = func
    return func


def reviewer(kind: str) -> Callable | None:
    return _REVIEWS.get(kind)
