"""Reads on hotline calls, scoped to the person asking."""

from __future__ import annotations

from django.db.models import QuerySet

from counselling.hotline.models import HotlineCall
from ngo import access
from ngo.access import Need


def _calls() -> QuerySet[HotlineCall]:
    return HotlineCall.objects.select_related("branch", "staff", "case__client")


def call_list(*, user) -> QuerySet[HotlineCall]:
    return access.scope(user, _calls())


def call_get(*, user, pk, need: Need = Need.READ, audit_read: bool = True) -> HotlineCall:
    return access.get_for_user(user, _calls(), pk, need, audit_read=audit_read)


def calls_of_case(*, user, case) -> QuerySet[HotlineCall]:
    return call_list(user=user).filter(case=case)


def calls_to_link(*, user, case, limit: int = 50) -> list[HotlineCall]:
    """The unlinked calls of the case's branch she may change, newest first:
    the choices of the case page's "link a call"."""
    scope = access.scope(user, _calls(), Need.WRITE)
    return list(scope.filter(case__isnull=True, branch_id=case.branch_id)[:limit])
