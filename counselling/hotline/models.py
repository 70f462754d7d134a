"""Hotline calls: a log that needs no identifying intake.

A call records what was asked and what was advised, never who called: there
is no name and no phone number field, and the advice text is refused while
it looks like a phone number unless the staff confirm it identifies nobody
(counselling.hotline.identifiers). A call may later be linked to her case;
from then on it follows the case's access rule."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.record import Record
from ngo.lib.codes import ChoiceListValidator
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned

MAX_CALL_MINUTES = 600


class Interpreter(models.TextChoices):
    NONE = "none", _("No interpreter")
    PHONE = "phone", _("Phone interpreter")
    IN_PERSON = "in_person", _("Interpreter in person")


class CallerKind(models.TextChoices):
    HERSELF = "herself", _("The woman herself")
    FAMILY_FRIEND = "family_friend", _("Family or friend")
    PROFESSIONAL = "professional", _("A professional")
    OTHER = "other", _("Other")


class CallTopic(models.TextChoices):
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    RESIDENCE = "residence", _("Residence / visa")
    LABOUR = "labour", _("Labour")
    DIVORCE_CUSTODY = "divorce_custody", _("Divorce / child custody")
    MARRIAGE_BROKER = "marriage_broker", _("Marriage broker")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


class CallRisk(models.TextChoices):
    NONE = "none", _("No risk noted")
    SOME = "some", _("Some risk")
    IMMEDIATE = "immediate", _("Immediate danger")


class CallReferral(models.TextChoices):
    POLICE = "police", _("Police")
    HOTLINE_1366 = "1366", _("1366 women's emergency line")
    SHELTER = "shelter", _("Shelter")
    LEGAL_AID = "legal_aid", _("Legal aid")
    MEDICAL = "medical", _("Medical")
    IMMIGRATION = "immigration", _("Immigration office")
    LABOUR_OFFICE = "labour_office", _("Labour office")
    OTHER_NGO = "other_ngo", _("Another NGO")


class ComeIn(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    MAYBE = "maybe", _("Maybe")


class HotlineCall(Versioned, Record):
    audit_object_type = "hotline.hotlinecall"

    branch = models.ForeignKey(
        "accounts.Branch", on_delete=models.PROTECT, related_name="+", verbose_name=_("branch")
    )
    # Empty until the call is linked to her intake; then the case's rule applies.
    case = models.ForeignKey(
        "counselling.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_calls",
        verbose_name=_("case"),
    )
    started_at = models.DateTimeField(_("date and time"), default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CALL_MINUTES)],
    )
    language = models.CharField(_("language"), max_length=3, blank=True)
    interpreter = models.CharField(
        _("interpreter"), max_length=10, choices=Interpreter.choices, default=Interpreter.NONE
    )
    caller_kind = models.CharField(
        _("caller"), max_length=15, choices=CallerKind.choices, default=CallerKind.HERSELF
    )
    topics = models.JSONField(
        _("topics"), default=list, blank=True, validators=[ChoiceListValidator(CallTopic.values)]
    )
    risk = models.CharField(
        _("risk noted"), max_length=10, choices=CallRisk.choices, default=CallRisk.NONE
    )
    advice = EncryptedTextField(_("advice given"), null=True, blank=True)
    referrals = models.JSONField(
        _("referrals given"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(CallReferral.values)],
    )
    wants_to_come_in = models.CharField(
        _("wants to come in"), max_length=5, choices=ComeIn.choices, default=ComeIn.MAYBE
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        indexes = [models.Index(fields=["branch", "started_at"], name="hotline_branch_time_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=MAX_CALL_MINUTES),
                name="hotline_duration_range",
                violation_error_message=_("A call lasts 1 to 600 minutes."),
            ),
            models.CheckConstraint(
                condition=models.Q(interpreter__in=Interpreter.values),
                name="hotline_interpreter_known",
            ),
            models.CheckConstraint(
                condition=models.Q(caller_kind__in=CallerKind.values),
                name="hotline_caller_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(risk__in=CallRisk.values), name="hotline_risk_known"
            ),
            models.CheckConstraint(
                condition=models.Q(wants_to_come_in__in=ComeIn.values),
                name="hotline_come_in_known",
            ),
        ]

    @property
    def interpreter_used(self) -> bool:
        return self.interpreter != Interpreter.NONE
