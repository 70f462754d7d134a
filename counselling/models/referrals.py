"""Referrals to other organisations."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.models.cases import Case
from counselling.models.choices import ReferralStatus
from counselling.models.consents import Consent
from counselling.record import Record
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned


class Referral(Versioned, Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("organisation"),
    )
    reason = EncryptedTextField(_("reason"), null=True, blank=True)
    shares_personal_data = models.BooleanField(_("shares her personal data"), default=True)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_override_reason = models.TextField(_("reason for sharing without consent"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shares_personal_data=False)
                | models.Q(consent__isnull=False)
                | ~models.Q(consent_override_reason=""),
                name="referral_sharing_needs_consent_or_override",
                violation_error_message=_(
                    "Sharing her data needs her consent or a reason for the override."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(responded_on__isnull=True)
                | models.Q(responded_on__gte=models.F("sent_on")),
                name="referral_answered_after_sent",
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.case.branch_id
