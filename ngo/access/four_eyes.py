"""The four-eyes rule: the person who asked for a decision never makes it.

A letter prepared, a copy of her records prepared, a destruction proposed, a
transfer requested, a closure or a safety plan put up for approval: a second
person decides, and where the decision is a branch manager's, a manager of
the record's branch.

    four_eyes.require_second_person(actor=actor, requested_by_id=letter.prepared_by_id)
    if not four_eyes.manages_branch(actor, letter.branch_id): ...
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ngo.accounts.roles import Capability


def manages_branch(user, branch) -> bool:
    """A branch manager of `branch` (a Branch or its id)."""
    if not user.can(Capability.MANAGE_BRANCH):
        return False
    return getattr(branch, "pk", branch) in user.branch_ids()


def require_second_person(*, actor, requested_by_id: int | None, message: str = "") -> None:
    """ValidationError when `actor` is the person who asked for the decision.
    `message` words it for the record at hand (its meaning stays: another
    person decides)."""
    if requested_by_id is not None and actor.pk == requested_by_id:
        raise ValidationError(
            message
            or _("You asked for this: another person, a manager of the branch, must decide it.")
        )
