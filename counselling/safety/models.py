"""How the centre may contact a woman without putting her in danger.

One record per client: the channels allowed and forbidden, the hours when
contact is safe (Asia/Seoul), who must not know, a code word, and the flags
that change how staff act (immediate danger, child protection, a perpetrator
who works at a partner organisation or who knows her address). Her existing
free-text safe-contact line (`Client.safe_contact`) is shown beside it as notes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.record import Record
from ngo.lib.crypto import EncryptedCharField, EncryptedTextField
from ngo.lib.versions import Versioned


class Channel(models.TextChoices):
    PHONE_CALL = "phone_call", _("Phone call")
    SMS = "sms", _("SMS / text message")
    MESSENGER = "messenger", _("Messenger app")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter by post")
    HOME_VISIT = "home_visit", _("Home visit")
    CONTACT_PERSON = "contact_person", _("Via a named contact person")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SafetyRecord(Versioned, Record):
    client = models.OneToOneField(
        "counselling.Client", on_delete=models.CASCADE, related_name="safety"
    )
    allowed_channels = models.JSONField(_("contact allowed by"), default=list, blank=True)
    forbidden_channels = models.JSONField(_("never contact by"), default=list, blank=True)
    contact_person = EncryptedCharField(
        _("named contact person"), max_length=200, null=True, blank=True
    )
    safe_from = models.TimeField(_("safe from"), null=True, blank=True)
    safe_until = models.TimeField(_("safe until"), null=True, blank=True)
    safe_days = models.JSONField(
        _("safe days"), default=list, blank=True, help_text=_("None ticked: every day.")
    )
    who_must_not_know = EncryptedTextField(_("who must not know"), null=True, blank=True)
    code_word = EncryptedCharField(_("code word"), max_length=100, null=True, blank=True)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    child_protection = models.BooleanField(_("child protection concern"), default=False)
    perpetrator_is_partner_staff = models.BooleanField(
        _("perpetrator works at a partner organisation"), default=False
    )
    perpetrator_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perpetrator's organisation"),
    )
    perpetrator_has_address = models.BooleanField(_("perpetrator has her address"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("safe-contact rules")
        verbose_name_plural = _("safe-contact rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(safe_from__isnull=True) & Q(safe_until__isnull=True))
                | (
                    Q(safe_from__isnull=False)
                    & Q(safe_until__isnull=False)
                    & ~Q(safe_from=models.F("safe_until"))
                ),
                name="safety_hours_both_and_distinct",
                violation_error_message=_(
                    "Give both ends of her safe hours, and make them different."
                ),
            ),
            models.CheckConstraint(
                condition=Q(perpetrator_organisation__isnull=True)
                | Q(perpetrator_is_partner_staff=True),
                name="safety_organisation_needs_flag",
                violation_error_message=_(
                    "Name the perpetrator's organisation only when he works at a partner "
                    "organisation."
                ),
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.client.branch_id

    @property
    def has_hours(self) -> bool:
        return self.safe_from is not None and self.safe_until is not None

    def is_safe_at(self, moment) -> bool:
        """Whether `moment` (aware) falls inside her safe hours and days, in
        Seoul time. Hours may run past midnight (22:00-06:00). No hours: always."""
        from zoneinfo import ZoneInfo

        local = moment.astimezone(ZoneInfo("Asia/Seoul"))
        if self.safe_days and local.weekday() not in self.safe_days:
            return False
        if not self.has_hours:
            return True
        now = local.time()
        if self.safe_from < self.safe_until:
            return self.safe_from <= now < self.safe_until
        return now >= self.safe_from or now < self.safe_until

    @property
    def safe_day_labels(self) -> list[str]:
        return [str(Weekday(day).label) for day in self.safe_days if day in Weekday.values]

    @property
    def flag_labels(self) -> list[tuple[str, str]]:
        """(css class, text) of each flag raised: shown as badges with words."""
        flags = []
        if self.immediate_danger:
            flags.append(("danger", _("Immediate danger")))
        if self.child_protection:
            flags.append(("warning", _("Child protection concern")))
        if self.perpetrator_is_partner_staff:
            flags.append(("danger", _("Perpetrator works at a partner organisation")))
        if self.perpetrator_has_address:
            flags.append(("warning", _("Perpetrator has her address")))
        return flags

    @property
    def has_rules(self) -> bool:
        return bool(
            self.allowed_channels
            or self.forbidden_channels
            or self.has_hours
            or self.safe_days
            or self.who_must_not_know
            or self.code_word
            or self.flag_labels
        )
