"""Incidents of violence on a case, classified as the GBVIMS does: one core
type per incident (the first of the six that applies), the date (possibly
approximate), the kind of place, the perpetrator's relationship to her, whether
a marriage broker was involved and whether it was reported to the police.

The codes are what the shadow-report statistics count; the description is
free text about her and is encrypted."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.record import Record
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned

MAX_PERPETRATORS = 99


class ViolenceType(models.TextChoices):
    """The six GBVIMS core types, in the order the classification tries them."""

    RAPE = "rape", _("Rape")
    SEXUAL_ASSAULT = "sexual_assault", _("Sexual assault")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    DENIAL = "denial", _("Denial of resources, opportunities or services")
    PSYCHOLOGICAL = "psychological", _("Psychological or emotional abuse")


class PlaceKind(models.TextChoices):
    HER_HOME = "her_home", _("Her home")
    PERPETRATOR_HOME = "perpetrator_home", _("The perpetrator's home")
    IN_LAWS_HOME = "in_laws_home", _("Her in-laws' home")
    WORKPLACE = "workplace", _("Workplace")
    PUBLIC = "public", _("Public place or street")
    ONLINE = "online", _("Online")
    INSTITUTION = "institution", _("Shelter or institution")
    OTHER = "other", _("Other place")


class Perpetrator(models.TextChoices):
    """The perpetrator's relationship to her."""

    HUSBAND = "husband", _("Husband")
    FORMER_HUSBAND = "former_husband", _("Former husband")
    IN_LAW = "in_law", _("In-law")
    EMPLOYER = "employer", _("Employer")
    CO_WORKER = "co_worker", _("Co-worker")
    BROKER = "broker", _("Marriage broker")
    STRANGER = "stranger", _("Stranger")
    OTHER = "other", _("Other relationship")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class RemovalReason(models.TextChoices):
    """Why an incident is deleted: a code the audit keeps (never free text)."""

    ENTERED_IN_ERROR = "entered_in_error", _("Entered in error")
    DUPLICATE = "duplicate", _("Recorded twice")
    WRONG_CASE = "wrong_case", _("Recorded on the wrong case")
    HER_REQUEST = "her_request", _("She asked for it to be deleted")


def _known(field: str, choices) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": choices.values}), name=f"incident_{field}_known"
    )


class Incident(Versioned, Record):
    case = models.ForeignKey(
        "counselling.Case",
        on_delete=models.CASCADE,
        related_name="incidents",
        verbose_name=_("case"),
    )
    violence_type = models.CharField(
        _("type of violence"),
        max_length=20,
        choices=ViolenceType.choices,
        help_text=_("One per incident: the first of the GBVIMS types that applies."),
    )
    occurred_on = models.DateField(_("date of the incident"))
    date_approximate = models.BooleanField(
        _("the date is approximate"),
        default=False,
        help_text=_("Tick when she remembers only roughly when it happened."),
    )
    place = models.CharField(_("kind of place"), max_length=20, choices=PlaceKind.choices)
    perpetrator = models.CharField(
        _("perpetrator's relationship to her"), max_length=20, choices=Perpetrator.choices
    )
    broker_involved = models.CharField(
        _("marriage broker involved"),
        max_length=7,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    perpetrator_count = models.PositiveSmallIntegerField(
        _("number of perpetrators"), null=True, blank=True
    )
    reported_to_police = models.CharField(
        _("reported to the police"),
        max_length=7,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    description = EncryptedTextField(_("what happened"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["case", "occurred_on"], name="incident_case_date")]
        constraints = [
            _known("violence_type", ViolenceType),
            _known("place", PlaceKind),
            _known("perpetrator", Perpetrator),
            _known("broker_involved", YesNoUnknown),
            _known("reported_to_police", YesNoUnknown),
            models.CheckConstraint(
                condition=models.Q(perpetrator_count__isnull=True)
                | models.Q(perpetrator_count__gte=1, perpetrator_count__lte=MAX_PERPETRATORS),
                name="incident_perpetrator_count_range",
                violation_error_message=_("The number of perpetrators is from 1 to 99."),
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.case.branch_id
