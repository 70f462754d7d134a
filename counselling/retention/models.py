"""Retention rules, legal holds, destruction batches and the stubs of what was
destroyed.

Destruction blanks the personal fields of the counselling records in place
(the rows stay, so counts and released statistics keep adding up); the
counselling models carry no mark of it. `DestructionStub` is that mark: one
row per destroyed case, and one (case empty) per destroyed client.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned

MIN_YEARS = 1
MAX_YEARS = 100


class RuleKind(models.TextChoices):
    CLOSED_CASE = "closed_case", _("A closed case, after its closure")
    UNLINKED_CLIENT = "unlinked_client", _("A client with no case, after she was recorded")


DEFAULT_YEARS = {RuleKind.CLOSED_CASE: 10, RuleKind.UNLINKED_CLIENT: 3}


class RetentionRule(Versioned, models.Model):
    """How long a kind of record is kept. The records that follow another one
    (her documents, stays, enrolments, children; the client once her last case
    is destroyed) have no period of their own: they go with it."""

    kind = models.CharField(
        _("kind of record"), max_length=20, choices=RuleKind.choices, unique=True
    )
    years = models.PositiveSmallIntegerField(
        _("kept for (years)"),
        validators=[MinValueValidator(MIN_YEARS), MaxValueValidator(MAX_YEARS)],
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(years__gte=MIN_YEARS, years__lte=MAX_YEARS),
                name="retention_years_in_range",
                violation_error_message=_("Keep records for 1 to 100 years."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=RuleKind.values), name="retention_rule_kind_known"
            ),
        ]

    def __str__(self):
        return f"{self.kind}: {self.years}"


class LegalHold(models.Model):
    """Stops the destruction of a client (case empty) or of one of her cases
    while a court case runs. Active until released, or until its end date."""

    client = models.ForeignKey("counselling.Client", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "counselling.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Encrypted: a court and a case number point at her.
    reason = EncryptedTextField(_("reason"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("starts_on")),
                name="legal_hold_ends_after_start",
                violation_error_message=_("A hold cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True, released_by__isnull=True)
                | models.Q(released_at__isnull=False, released_by__isnull=False),
                name="legal_hold_release_has_who_and_when",
            ),
        ]

    def __str__(self):
        return f"legal hold #{self.pk}"

    @property
    def audit_branch_id(self):
        return self.client.branch_id

    def is_active(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.released_at is None and (self.until is None or self.until >= today)


class BatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    EXECUTED = "executed", _("Carried out")


class DestructionBatch(Versioned, models.Model):
    """What fell due at one branch, proposed (by the daily task or a person),
    approved by a branch manager who did not propose it, then carried out.
    Once carried out it is the destruction record: how many of what."""

    branch = models.ForeignKey("accounts.Branch", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PROPOSED
    )
    # Empty: proposed by the daily task.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    executed_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    # {"counselling.Client": 3, "counselling.CounsellingSession": 41, ...}
    counts = models.JSONField(_("destroyed"), default=dict, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("destruction batch")
        verbose_name_plural = _("destruction batches")
        constraints = [
            models.UniqueConstraint(
                fields=["branch"],
                condition=models.Q(status="proposed"),
                name="one_proposed_batch_per_branch",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=BatchStatus.values), name="batch_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status="proposed")
                | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="batch_approved_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | models.Q(proposed_by__isnull=True)
                | ~models.Q(approved_by=models.F("proposed_by")),
                name="batch_approved_by_another",
                violation_error_message=_("The person who proposed a batch cannot approve it."),
            ),
        ]

    def __str__(self):
        return f"destruction batch #{self.pk}"


class DestructionRecord(DestructionBatch):
    """A carried-out batch as administrators and auditors read it: counts,
    dates and people, never a case code."""

    class Meta:
        proxy = True
        verbose_name = _("destruction record")
        verbose_name_plural = _("destruction records")


class ItemReason(models.TextChoices):
    CASES_CLOSED = "cases_closed", _("Her cases were closed longer ago than the retention period")
    CASE_CLOSED = (
        "case_closed",
        _("A case was closed longer ago than the retention period; she has another case"),
    )
    NO_CASE = "no_case", _("She has had no case for longer than the retention period")


class ItemState(models.TextChoices):
    DUE = "due", _("Due")
    HELD = "held", _("Under legal hold")
    EXCLUDED = "excluded", _("Excluded at review")
    NOT_DUE = "not_due", _("No longer due")
    DESTROYED = "destroyed", _("Destroyed")


class DestructionItem(models.Model):
    """One client of a batch: the cases of hers that fell due, and whether she
    goes too (none of hers stays open)."""

    batch = models.ForeignKey(DestructionBatch, on_delete=models.CASCADE, related_name="items")
    client = models.ForeignKey("counselling.Client", on_delete=models.PROTECT, related_name="+")
    case_ids = models.JSONField(default=list, blank=True)
    whole_client = models.BooleanField(default=False)
    reason = models.CharField(max_length=20, choices=ItemReason.choices)
    due_on = models.DateField(_("due since"))
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.DUE)
    # Encrypted: a reviewer may name a court or a person.
    exclusion_reason = EncryptedTextField(_("reason for excluding"), null=True, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # How many rows of what her destruction blanked (the batch adds them up).
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "client"], name="destruction_item_once"),
            models.CheckConstraint(
                condition=models.Q(state__in=ItemState.values), name="destruction_item_state_known"
            ),
        ]

    def __str__(self):
        return f"destruction item #{self.pk}"

    @property
    def audit_branch_id(self):
        return self.batch.branch_id


class DestructionStub(models.Model):
    """The mark of a destroyed record: a case (case set) or a whole client
    (case empty). Keeps nothing but ids and the moment."""

    client = models.ForeignKey("counselling.Client", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "counselling.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    item = models.ForeignKey(DestructionItem, on_delete=models.PROTECT, related_name="stubs")
    destroyed_at = models.DateTimeField(default=timezone.now)
    # Storage names of her encrypted files, until they are gone from disk.
    files_pending = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-destroyed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(case__isnull=False), name="case_destroyed_once"
            ),
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(case__isnull=True),
                name="client_destroyed_once",
            ),
        ]

    def __str__(self):
        return f"destruction stub #{self.pk}"
