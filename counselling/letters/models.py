"""The domestic-violence confirmation letter: prepared by a counsellor, approved
and signed by the branch manager, verified by anyone holding its number and her
date of birth.

What a letter printed is kept as it was printed (`contents`, encrypted, and the
PDF, encrypted); what verification needs survives the destruction of her
records: the number, the branch, the dates, the status and a keyed digest of
number and birth date (never the date itself)."""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.record import Record
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.private_files import PrivateFileModel
from ngo.lib.versions import Versioned


class LetterStatus(models.TextChoices):
    PREPARED = "prepared", _("Awaiting approval")
    ISSUED = "issued", _("Issued")
    REVOKED = "revoked", _("Revoked")


class LetterNumberCounter(Record):
    """The last letter number given per branch and year (SEO-L-2026-0012)."""

    branch = models.ForeignKey("accounts.Branch", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="letter_counter_unique")
        ]


class Letter(Versioned, PrivateFileModel, Record):
    file_area = "letters"
    file_field = "storage_name"

    # Both become empty when her records are destroyed; the letter still verifies.
    case = models.ForeignKey(
        "counselling.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
    )
    client = models.ForeignKey(
        "counselling.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
    )
    branch = models.ForeignKey(
        "accounts.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    language = models.CharField(
        _("her language"),
        max_length=3,
        blank=True,
        help_text=_("The language of the second page; none when she reads Korean or English."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.PREPARED
    )
    number = models.CharField(_("letter number"), max_length=24, null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved and signed by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = EncryptedTextField(_("reason for revoking"), null=True, blank=True)
    # What the letter printed, as JSON (see services.letter_facts); set at approval.
    contents_json = EncryptedTextField(null=True, blank=True, editable=False)
    storage_name = models.CharField(max_length=80, blank=True, editable=False)
    verification_digest = models.CharField(max_length=64, blank=True, editable=False)
    records_held = models.BooleanField(_("records held"), default=True)
    records_destroyed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = _("DV confirmation letter")
        verbose_name_plural = _("DV confirmation letters")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(number__isnull=False),
                name="letter_number_unique",
            ),
            models.UniqueConstraint(
                fields=["branch", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="letter_sequence_unique",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="prepared"),
                name="letter_one_awaiting_per_case",
                violation_error_message=_("This case already has a letter awaiting approval."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=LetterStatus.values), name="letter_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status="prepared")
                | models.Q(
                    number__isnull=False,
                    approved_by__isnull=False,
                    approved_at__isnull=False,
                    issued_on__isnull=False,
                ),
                name="letter_issued_has_number_and_signatory",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("prepared_by")),
                name="letter_approved_by_another",
                violation_error_message=_("The person who prepared a letter cannot approve it."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="revoked")
                | (
                    models.Q(revoked_by__isnull=False, revoked_at__isnull=False)
                    & (models.Q(revocation_reason__isnull=False) | models.Q(records_held=False))
                ),
                name="letter_revoked_has_reason",
            ),
        ]

    def __str__(self):
        return self.number or f"letter #{self.pk}"

    @property
    def audit_branch_id(self):
        return self.branch_id

    @property
    def contents(self) -> dict:
        return json.loads(self.contents_json) if self.contents_json else {}
