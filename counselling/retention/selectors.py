"""Reads of retention records, scoped to the user by the access rules."""

from __future__ import annotations

from django.db.models import Count, Q

from counselling.models import Case, Client
from counselling.retention.models import (
    DestructionBatch,
    DestructionItem,
    DestructionRecord,
    LegalHold,
    RetentionRule,
)
from ngo import access
from ngo.access import Need


def rule_list(*, user):
    return access.scope(user, RetentionRule.objects.select_related("updated_by"))


def rule_for_user(*, user, pk, need: Need = Need.READ) -> RetentionRule:
    return access.get_for_user(user, RetentionRule, pk, need)


def hold_queryset():
    return LegalHold.objects.select_related("client", "case", "set_by", "released_by")


def hold_list(*, user, client: Client | None = None):
    holds = access.scope(user, hold_queryset())
    return holds.filter(client=client) if client is not None else holds


def hold_for_user(*, user, pk, need: Need = Need.READ) -> LegalHold:
    return access.get_for_user(user, hold_queryset(), pk, need)


def client_cases(*, user, client: Client):
    return access.scope(user, Case.objects.filter(client=client)).order_by("opened_on", "pk")


def batch_queryset():
    return (
        DestructionBatch.objects.select_related("branch", "proposed_by", "approved_by")
        .annotate(
            due_count=Count("items", filter=Q(items__state="due")),
            item_count=Count("items"),
        )
        .order_by("-proposed_at", "-id")
    )


def batch_list(*, user):
    return access.scope(user, batch_queryset())


def batch_for_user(*, user, pk, need: Need = Need.READ, audit_read: bool = True):
    return access.get_for_user(user, batch_queryset(), pk, need, audit_read=audit_read)


def batch_items(*, batch: DestructionBatch):
    return DestructionItem.objects.filter(batch=batch).select_related("client", "excluded_by")


def item_of(*, batch: DestructionBatch, item_id) -> DestructionItem:
    from django.http import Http404

    try:
        return DestructionItem.objects.get(batch=batch, pk=int(item_id))
    except (DestructionItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def record_queryset():
    return DestructionRecord.objects.select_related("branch", "proposed_by", "approved_by")


def record_list(*, user):
    return access.scope(user, record_queryset()).order_by("-executed_at", "-id")


def record_for_user(*, user, pk) -> DestructionRecord:
    return access.get_for_user(user, record_queryset(), pk)
