"""A change a branch wants its manager to approve: closing a case, or the
safety plan of a high-risk case (Branch.closure_needs_approval,
Branch.high_risk_plan_needs_approval)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.models import ClosureReason
from counselling.record import Record
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned


class ApprovalKind(models.TextChoices):
    CASE_CLOSURE = "case_closure", _("Closing the case")
    SAFETY_PLAN = "safety_plan", _("Safety plan of a high-risk case")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ApprovalRequest(Versioned, Record):
    kind = models.CharField(_("what"), max_length=20, choices=ApprovalKind.choices)
    case = models.ForeignKey(
        "counselling.Case", on_delete=models.CASCADE, related_name="approval_requests"
    )
    safety_plan = models.ForeignKey(
        "counselling.SafetyPlan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approval_requests",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    # The closure asked for, carried out as asked once approved.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = EncryptedTextField(_("closure note"), null=True, blank=True)
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

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(status="pending"),
                name="approval_one_pending_per_case_and_kind",
                violation_error_message=_("This case already has a request awaiting approval."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ApprovalKind.values), name="approval_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ApprovalStatus.values),
                name="approval_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="case_closure")
                | (models.Q(closed_on__isnull=False) & ~models.Q(closure_reason="")),
                name="approval_closure_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="safety_plan") | models.Q(safety_plan__isnull=False),
                name="approval_plan_names_the_plan",
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending")
                | models.Q(decided_by__isnull=False, decided_at__isnull=False),
                name="approval_decided_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | ~models.Q(decided_by=models.F("requested_by")),
                name="approval_decided_by_another",
                violation_error_message=_("The person who asked for an approval cannot give it."),
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.case.branch_id
