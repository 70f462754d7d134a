"""A notification is its recipient's alone; a dated item is seen by its recipients."""

from django.db.models import Q

from ngo import access
from ngo.reminders.models import DatedItem, Notification


@access.rule(Notification)
def _notification(user, need):
    return Q(recipient=user)


@access.rule(DatedItem)
def _item(user, need):
    if need is access.Need.WRITE:
        return None
    return Q(recipients=user)
