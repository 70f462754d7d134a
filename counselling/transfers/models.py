"""A case moving from one branch to another: requested by the sending
branch, accepted (or declined) by the receiving branch's manager."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.record import Record
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the receiving branch")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Transfer(Versioned, Record):
    case = models.ForeignKey("counselling.Case", on_delete=models.CASCADE, related_name="transfers")
    from_branch = models.ForeignKey(
        "accounts.Branch",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sending branch"),
    )
    to_branch = models.ForeignKey(
        "accounts.Branch",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving branch"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    reason = EncryptedTextField(_("reason for the transfer"), null=True, blank=True)
    note = EncryptedTextField(_("note for the receiving branch"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("reason for declining"), null=True, blank=True)
    # The ids of her other cases that moved with this one.
    moved_cases = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="transfer_one_pending_per_case",
                violation_error_message=_("This case already has a transfer awaiting an answer."),
            ),
            models.CheckConstraint(
                condition=~models.Q(from_branch=models.F("to_branch")),
                name="transfer_to_another_branch",
                violation_error_message=_("A case is transferred to another branch."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=TransferStatus.values), name="transfer_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="transfer_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | models.Q(status="cancelled")
                | ~models.Q(decided_by=models.F("requested_by")),
                name="transfer_decided_by_another",
                violation_error_message=_("The person who requested a transfer cannot accept it."),
            ),
        ]
        indexes = [models.Index(fields=["to_branch", "status"], name="transfer_incoming_idx")]

    @property
    def audit_branch_id(self):
        return self.from_branch_id
