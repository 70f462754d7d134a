"""Reads of the directory, scoped to the user through its access rule (the same
one the API uses), with the joins each screen needs (lists do not grow queries
with rows)."""

from __future__ import annotations

from django.db.models import Prefetch

from ngo import access
from ngo.access import Need
from ngo.directory.filters import OrganisationFilter
from ngo.directory.models import ContactPerson, Organisation, Tag


def organisation_queryset():
    """An organisation with its tags and all its contact people, the active ones
    first (the API shows the active ones only, in the same order)."""
    return Organisation.objects.prefetch_related(
        "tags",
        Prefetch("contacts", queryset=ContactPerson.objects.order_by("-is_active", "name", "id")),
    )


def contact_queryset():
    return ContactPerson.objects.select_related("organisation")


def organisation_list(*, user, filters=None):
    """Organisations she may read, with their tags and active contact people,
    filtered by OrganisationFilter's parameters (nothing when they are invalid)."""
    organisations = access.scope(user, Organisation).prefetch_related(
        "tags",
        Prefetch(
            "contacts", queryset=ContactPerson.objects.filter(is_active=True).order_by("name")
        ),
    )
    filterset = OrganisationFilter(filters or {}, queryset=organisations)
    if not filterset.is_valid():
        return Organisation.objects.none()
    return filterset.qs.order_by("name_ko", "name_en", "pk")


def organisation_get(*, user, pk, need: Need = Need.READ) -> Organisation:
    """One organisation (404/403 outside her scope); a read is audited. Its tags
    and all its contact people, the active ones first, come with it."""
    return access.get_for_user(user, organisation_queryset(), pk, need)


def contact_get(*, user, pk, need: Need = Need.READ) -> ContactPerson:
    return access.get_for_user(user, contact_queryset(), pk, need)


def tag_list(*, user):
    return access.scope(user, Tag).order_by("name")
