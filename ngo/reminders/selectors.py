from django.db.models import QuerySet
from django.utils import timezone

from ngo.reminders.models import DatedItem, Notification, NotificationPreference


def notifications_for(user, *, unread_only: bool = False) -> QuerySet:
    rows = Notification.objects.filter(recipient=user).select_related("reminder__item")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


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
