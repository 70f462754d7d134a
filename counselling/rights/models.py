"""Her rights under the Personal Information Protection Act: a copy of what
Hamkke holds about her (SubjectAccessExport) and her requests to correct,
delete, restrict or stop the use of it (RightsRequest). PIPA gives the centre
ten days to answer either."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo.lib.crypto import EncryptedTextField
from ngo.lib.private_files import PrivateFileModel
from ngo.lib.versions import Versioned

ANSWER_DAYS = 10  # PIPA: an answer within ten days of the request


def due_after(received_on: date) -> date:
    return received_on + timedelta(days=ANSWER_DAYS)


class Requester(models.TextChoices):
    HERSELF = "herself", _("She herself")
    REPRESENTATIVE = "representative", _("Her legal representative")
    AGENT = "agent", _("Someone she authorised in writing")


class IdentityCheck(models.TextChoices):
    ALIEN_CARD = "alien_card", _("Alien registration card")
    PASSPORT = "passport", _("Passport")
    IN_PERSON = "in_person", _("Known to the counsellor in person")
    POWER_OF_ATTORNEY = "power_of_attorney", _("Power of attorney and the agent's ID")
    OTHER = "other", _("Other (see the note)")


class ExportStatus(models.TextChoices):
    PREPARED = "prepared", _("Waiting for the manager's approval")
    APPROVED = "approved", _("Approved, being built")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Could not be built")
    EXPIRED = "expired", _("Deleted after its time")


class SubjectAccessExport(Versioned, PrivateFileModel):
    """One answer to her request to see her data: prepared by a counsellor,
    approved by a manager (another person), built by a worker as an encrypted
    ZIP and deleted after RIGHTS_EXPORT_KEEP_DAYS."""

    file_area = "rights"

    client = models.ForeignKey(
        "counselling.Client", on_delete=models.CASCADE, related_name="access_exports"
    )
    requested_on = models.DateField(_("requested on"), default=timezone.localdate)
    requester = models.CharField(_("who asked"), max_length=20, choices=Requester.choices)
    identity_check = models.CharField(
        _("how her identity was checked"), max_length=20, choices=IdentityCheck.choices
    )
    identity_note = EncryptedTextField(_("note on the identity check"), null=True, blank=True)
    due_on = models.DateField(_("answer due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PREPARED
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The worker's claim (a conditional UPDATE sets it); see services.export_build.
    build_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    storage_name = models.CharField(max_length=80, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = _("subject-access export")
        verbose_name_plural = _("subject-access exports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("prepared_by")),
                name="sar_export_four_eyes",
                violation_error_message=_("The person who prepared an export cannot approve it."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready")
                | (~models.Q(storage_name="") & models.Q(expires_at__isnull=False)),
                name="sar_export_ready_has_file",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("requested_on")),
                name="sar_export_due_after_request",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="sar_export_status_known"
            ),
        ]

    def __str__(self):
        return f"export #{self.pk}"

    @property
    def audit_branch_id(self):
        return self.client.branch_id

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def is_answered(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.EXPIRED)

    @property
    def status_label(self) -> str:
        return self.get_status_display()


class RequestKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    DELETION = "deletion", _("Deletion")
    RESTRICTION = "restriction", _("Restriction of processing")
    OBJECTION = "objection", _("Objection to processing")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REFUSED = "refused", _("Refused")


class RightsRequest(Versioned, models.Model):
    """Her request to correct, delete, restrict or stop the use of her data, and
    its decision. After the destruction of her file only a stub stays: the kind,
    the dates and the outcome (`scrubbed_at` set, the free text blank)."""

    client = models.ForeignKey(
        "counselling.Client", on_delete=models.CASCADE, related_name="rights_requests"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    asked = EncryptedTextField(_("what she asks"), null=True, blank=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    due_on = models.DateField(_("answer due on"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    reason = EncryptedTextField(_("reason"), null=True, blank=True)
    changes_made = EncryptedTextField(_("what was changed"), null=True, blank=True)
    changed_object_type = models.CharField(_("changed record type"), max_length=100, blank=True)
    changed_object_id = models.CharField(_("changed record id"), max_length=64, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    scrubbed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="pending")
                | (models.Q(decided_by__isnull=False) & models.Q(decided_at__isnull=False)),
                name="rights_request_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="rights_request_due_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RequestKind.values), name="rights_request_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=Outcome.values),
                name="rights_request_outcome_known",
            ),
        ]

    def __str__(self):
        return f"rights request #{self.pk}"

    @property
    def audit_branch_id(self):
        return self.client.branch_id

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def is_pending(self) -> bool:
        return self.outcome == Outcome.PENDING

    @property
    def is_answered(self) -> bool:
        return not self.is_pending

    @property
    def status_label(self) -> str:
        return self.get_outcome_display()
