from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Create")
    READ = "read", _("Read")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    LOGIN = "login", _("Login")
    LOGOUT = "logout", _("Logout")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")


class AppendOnlyError(Exception):
    """Audit events are never changed or removed."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. No personal data:
    records are named by type and id, changes by field names only."""

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        db_index=True,
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    branch = models.ForeignKey(
        "accounts.Branch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch"),
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action", "occurred_at"], name="audit_action_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_known"
            ),
        ]

    def __str__(self):
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditSealQuerySet(AuditEventQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit seals cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit seals cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True


class AuditSeal(models.Model):
    """One link of the hash chain over the audit trail: the digest of the events
    with ids first_event_id..last_event_id, chained to the seal before it
    (ngo/audit/sealing.py). Insert-only, like the events."""

    number = models.PositiveBigIntegerField(_("number"), unique=True)
    sealed_at = models.DateTimeField(_("sealed at"), default=timezone.now)
    first_event_id = models.BigIntegerField(_("first event id"))
    last_event_id = models.BigIntegerField(_("last event id"))
    event_count = models.PositiveIntegerField(_("events"))
    # The newest event id seen, and when: the next seal may cover up to it once
    # every transaction open at that instant has ended.
    watermark_event_id = models.BigIntegerField(_("watermark event id"))
    watermark_at = models.DateTimeField(_("watermark time"))
    key_id = models.CharField(_("key id"), max_length=16, blank=True)
    digest = models.CharField(_("digest"), max_length=64)

    objects = AuditSealQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1), name="audit_seal_number"),
            models.CheckConstraint(
                condition=models.Q(first_event_id__gte=1)
                & models.Q(last_event_id__gte=models.F("first_event_id") - 1),
                name="audit_seal_range",
            ),
        ]

    def __str__(self):
        return f"#{self.number} {self.first_event_id}-{self.last_event_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit seals cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit seals cannot be deleted.")
