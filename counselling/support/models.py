"""Services given: each medical visit, legal aid, interpreting, emergency
money, childcare or shelter place a case received, from whom, when, what it
cost and who paid. Counted (never itemised) in the "what support cost" report."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.record import Record
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned

MAX_COST_KRW = 2_000_000_000


class SupportKind(models.TextChoices):
    MEDICAL = "medical", _("Medical")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETING = "interpreting", _("Interpreting")
    EMERGENCY_MONEY = "emergency_money", _("Emergency money")
    CHILDCARE = "childcare", _("Childcare")
    SHELTER = "shelter", _("Shelter")
    OTHER = "other", _("Other")


class PaidBy(models.TextChoices):
    CENTRE = "centre", _("The centre")
    PROVIDER_FREE = "provider_free", _("Free of charge from the provider")
    PUBLIC_FUND = "public_fund", _("A public fund")
    OTHER = "other", _("Other")


class SupportStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    GIVEN = "given", _("Given")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceGiven(Versioned, Record):
    audit_object_type = "support.servicegiven"

    case = models.ForeignKey(
        "counselling.Case", on_delete=models.PROTECT, related_name="services_given"
    )
    kind = models.CharField(_("kind of service"), max_length=20, choices=SupportKind.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider (directory)"),
    )
    provider_name = models.CharField(
        _("provider (name)"),
        max_length=200,
        blank=True,
        help_text=_("When the provider is not in the directory."),
    )
    given_on = models.DateField(_("date (from)"), default=timezone.localdate)
    given_until = models.DateField(_("until"), null=True, blank=True)
    cost_krw = models.PositiveIntegerField(_("cost (KRW)"), null=True, blank=True)
    paid_by = models.CharField(
        _("paid by"), max_length=15, choices=PaidBy.choices, default=PaidBy.CENTRE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SupportStatus.choices, default=SupportStatus.GIVEN
    )
    note = EncryptedTextField(_("note"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("service given")
        verbose_name_plural = _("services given")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(given_until__isnull=True)
                | models.Q(given_until__gte=models.F("given_on")),
                name="support_until_after_from",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(cost_krw__isnull=True)
                | models.Q(cost_krw__gte=0, cost_krw__lte=MAX_COST_KRW),
                name="support_cost_range",
                violation_error_message=_("The cost is a whole number of won, 0 or more."),
            ),
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True) | models.Q(provider_name=""),
                name="support_one_provider",
                violation_error_message=_(
                    "Name the provider from the directory or by name, not both."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SupportKind.values), name="support_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(paid_by__in=PaidBy.values), name="support_paid_by_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SupportStatus.values), name="support_status_known"
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.case.branch_id

    @property
    def provider(self) -> str:
        return self.organisation.name if self.organisation_id else self.provider_name
