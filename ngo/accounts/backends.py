"""Signing in and reading the signed-in person on each request.

`StaffBackend` is Django's ModelBackend, except that the row of the person read
on every request brings with it what every page asks next: the branches she
works at (on PostgreSQL, as an array in the same statement) and what other apps
register with `read_with_user` (the unread-notification count of the navigation
bar, say). Each is the value at the start of the request.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import Expression, OuterRef

_READ_WITH_USER: dict[str, Callable[[], Expression]] = {}


def read_with_user(attribute: str, expression: Callable[[], Expression]) -> None:
    """Annotate the person read on each request with `attribute`: the value of
    `expression()`, an expression over her row (OuterRef("pk") is her id)."""
    _READ_WITH_USER[attribute] = expression


def _branch_ids():
    from django.contrib.postgres.expressions import ArraySubquery

    through = get_user_model().branches.through
    return ArraySubquery(through.objects.filter(user_id=OuterRef("pk")).values("branch_id"))


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.all()
        annotations = {name: make() for name, make in _READ_WITH_USER.items()}
        if connection.vendor == "postgresql":
            annotations["_branch_id_list"] = _branch_ids()
        try:
            user = users.annotate(**annotations).get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
