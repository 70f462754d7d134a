"""Reading letters, always scoped to the person reading."""

from __future__ import annotations

from django.db.models import QuerySet

from counselling.letters.models import Letter
from ngo import access
from ngo.access import Need


def letter_queryset() -> QuerySet:
    return Letter.objects.select_related("branch", "prepared_by", "approved_by", "revoked_by")


def letter_list(*, user, case=None) -> QuerySet:
    letters = access.scope(user, letter_queryset(), Need.READ)
    if case is not None:
        letters = letters.filter(case=case)
    return letters
