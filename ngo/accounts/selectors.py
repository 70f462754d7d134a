"""Reads on branches and staff, always scoped to the person asking."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from ngo import access
from ngo.access import Need
from ngo.accounts.models import ApiToken, Branch, User
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction, AuditEvent
from ngo.lib import dashboard
from ngo.lib.cache import CACHE_ERRORS

logger = logging.getLogger(__name__)


def branch_queryset() -> QuerySet[Branch]:
    return Branch.objects.all()


def staff_queryset() -> QuerySet[User]:
    return User.objects.prefetch_related(Prefetch("branches", queryset=Branch.objects.all()))


def branch_list(*, user: User) -> QuerySet[Branch]:
    return access.scope(user, branch_queryset().annotate(staff_count=Count("staff")), Need.READ)


def staff_list(*, user: User) -> QuerySet[User]:
    return access.scope(user, staff_queryset(), Need.READ)


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """Her tokens that still work, newest first (expired ones are not shown)."""
    tokens = access.scope(user, ApiToken, Need.READ)
    return tokens.filter(expiry__gt=timezone.now()).order_by("-created", "-id")


def api_token_for_user(*, user: User, pk) -> ApiToken:
    """One of her tokens, or Http404 (the refusal is audited)."""
    return access.get_for_user(user, api_token_list(user=user), pk, Need.WRITE)


def worker_heartbeat() -> datetime | None:
    """When a Celery worker last ran the health task (None: never, or cache cleared)."""
    from ngo.tasks import HEARTBEAT_KEY

    try:
        value = cache.get(HEARTBEAT_KEY)
    except CACHE_ERRORS:
        logger.warning("worker heartbeat unknown: the cache is unreachable")
        return None
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def dashboard_for(*, user: User) -> dict:
    """What the home page shows, by what the person may see."""
    context: dict = {
        "branches": list(branch_list(user=user)),
        "caps": {c.value for c in user.capabilities},
        "panels": dashboard.panels_for(user),
    }
    context["has_charts"] = any(panel.get("charts") for panel in context["panels"])
    if user.can(Capability.MANAGE_STAFF):
        context["staff_total"] = staff_list(user=user).filter(is_active=True).count()
        context["worker_heartbeat"] = worker_heartbeat()
    if user.can(Capability.READ_AUDIT):
        since = timezone.now() - timezone.timedelta(days=7)
        events = access.scope(user, AuditEvent, Need.READ).filter(occurred_at__gte=since)
        counts = dict(events.values_list("action").annotate(n=Count("id")).order_by())
        context["audit_week"] = [
            (label, counts.get(value, 0)) for value, label in AuditAction.choices
        ]
    return context
