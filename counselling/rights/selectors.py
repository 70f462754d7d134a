"""Reads of her rights records, always scoped to the user."""

from __future__ import annotations

from django.db.models import QuerySet

from counselling.models import Client
from counselling.rights.models import RightsRequest, SubjectAccessExport
from ngo import access
from ngo.access import Need
from ngo.accounts.models import User


def export_queryset() -> QuerySet[SubjectAccessExport]:
    return SubjectAccessExport.objects.select_related(
        "client__branch", "prepared_by", "approved_by"
    )


def request_queryset() -> QuerySet[RightsRequest]:
    return RightsRequest.objects.select_related("client__branch", "recorded_by", "decided_by")


def exports_of_client(*, user: User, client: Client) -> list[SubjectAccessExport]:
    return list(access.scope(user, export_queryset().filter(client=client), Need.READ))


def requests_of_client(*, user: User, client: Client) -> list[RightsRequest]:
    return list(access.scope(user, request_queryset().filter(client=client), Need.READ))


def export_get(*, user: User, pk, need: Need = Need.READ, audit_read: bool = True):
    """One export for `user` (404 outside her scope, 403 read-only; audited)."""
    return access.get_for_user(user, export_queryset(), pk, need, audit_read=audit_read)


def request_get(*, user: User, pk, need: Need = Need.READ) -> RightsRequest:
    return access.get_for_user(user, request_queryset(), pk, need)
