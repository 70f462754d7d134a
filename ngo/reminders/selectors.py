from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ngo.reminders.models import DatedItem, Notification, NotificationPreference


def notifications_for(user, *, unread_only: bool = False) -> QuerySet:
    rows = Notification.objects.filter(recipient=user).select_related("reminder__item")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows


def unread_count(user) -> int:
    read = getattr(user, UNREAD_ATTRIBUTE, None)  # read with her row at the request's start
    if read is not None:
        return read
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


UNREAD_ATTRIBUTE = "_unread_notifications"


def unread_count_expression():
    """Her unread notifications, as an expression over her row (see
    ngo.accounts.backends.read_with_user)."""
    unread = Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
    counted = unread.order_by().values("recipient").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def upcoming_items_for(user, days: int = 14) -> QuerySet:
    """The person's open deadlines: overdue ones and those of the next `days` days."""
    until = timezone.now() + timezone.timedelta(days=days)
    return DatedItem.objects.filter(recipients=user, is_active=True, due_at__lte=until).order_by(
        "due_at"
    )


def preference_for(user) -> NotificationPreference:
    """Her reminder settings; the defaults, unsaved, until she first chooses."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )
