"""Reminders: the database is the source of truth, Celery only delivers.

DatedItem  - one deadline of a record, kept in step with the record by `refresh`.
Reminder   - one (item, due date, lead time, recipient); pending -> sent | cancelled.
Notification - the in-app copy of a sent reminder.
OutgoingEmail - an e-mail waiting for (or past) its hand-over to the mail server;
               its unique key makes every e-mail exist once.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderRule(models.Model):
    source = models.CharField(_("deadline"), max_length=64)
    days_before = models.SmallIntegerField(
        _("days before"),
        default=0,
        validators=[MinValueValidator(-60), MaxValueValidator(365)],
        help_text=_("0 is the day itself; a negative number is an alert that many days after."),
    )
    minutes_before = models.PositiveIntegerField(
        _("minutes before"),
        default=0,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_(
            "0 sends the reminder on the morning of the day; otherwise exactly this long "
            "before the due time."
        ),
    )
    audience = models.CharField(_("to"), max_length=32)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["source", "-days_before", "-minutes_before", "audience"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "days_before", "minutes_before", "audience"],
                name="reminder_rule_unique",
                violation_error_message=_("This reminder rule exists already."),
            ),
            models.CheckConstraint(
                condition=models.Q(days_before__gte=-60, days_before__lte=365),
                name="reminder_rule_days_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.source} {self.days_before}d {self.minutes_before}m → {self.audience}"


class DatedItem(models.Model):
    source = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    due_at = models.DateTimeField()
    due_is_date = models.BooleanField(default=True)
    kind = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=80)
    url = models.CharField(max_length=200)
    branch = models.ForeignKey(
        "accounts.Branch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="dated_items")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "object_id"], name="dated_item_unique")
        ]
        indexes = [models.Index(fields=["is_active", "due_at"], name="dated_item_due_idx")]

    def __str__(self):
        return f"{self.source}#{self.object_id} {self.due_at:%Y-%m-%d}"

    @property
    def due_date(self):
        return timezone.localtime(self.due_at).date()

    @property
    def label(self):
        from ngo.reminders import registry

        if self.kind:
            return self.kind
        source = registry.get(self.source)
        return source.label if source else self.source


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    item = models.ForeignKey(DatedItem, on_delete=models.CASCADE, related_name="reminders")
    due_at = models.DateTimeField()
    days_before = models.SmallIntegerField()
    minutes_before = models.PositiveIntegerField(default=0)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    remind_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    # The dispatch run that claimed it (a conditional UPDATE sets it with the status).
    claim = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["remind_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "due_at", "days_before", "minutes_before", "recipient"],
                name="reminder_once_per_lead_and_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "remind_at"], name="reminder_due_idx")]

    def __str__(self):
        return f"{self.item} -{self.days_before}d → {self.recipient_id} ({self.status})"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reminder = models.OneToOneField(Reminder, on_delete=models.CASCADE, related_name="notification")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self):
        return f"notification {self.pk} → {self.recipient_id}"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Each reminder at once")
    DIGEST = "digest", _("One daily digest at 08:00")
    BOTH = "both", _("Both")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("reminders by e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.BOTH
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email_mode__in=EmailMode.values),
                name="notification_preference_mode_known",
            )
        ]

    def __str__(self):
        return f"{self.user_id}: {self.email_mode}"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingEmail(models.Model):
    """What an e-mail says is decided when it is queued; it holds no client data."""

    key = models.CharField(max_length=100, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=250)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_queue_idx")]

    def __str__(self):
        return self.key

    @property
    def message_id(self) -> str:
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "hamkke"
        return f"<{self.key.replace(':', '.')}@{domain}>"


class DigestRun(models.Model):
    """The day's digests were queued; a later run that day does nothing."""

    day = models.DateField(unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return self.day.isoformat()
