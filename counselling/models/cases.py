"""Cases, their status history, key dates and counselling sessions."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.models.choices import (
    CaseEventKind,
    CaseStatus,
    CaseType,
    ClosureReason,
    RiskLevel,
    Service,
    SessionMode,
)
from counselling.models.clients import Client
from counselling.record import Record
from ngo.lib.codes import ChoiceListValidator, validate_language_code
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned


def case_type_q(value: str) -> models.Q:
    """Cases of this type (one of the codes in `case_types`). On PostgreSQL a JSON
    containment (`case_types @> '["labour"]'`), which a row answers without
    turning its list into upper-case text; elsewhere the quoted code in the text."""
    if connection.vendor == "postgresql":
        return models.Q(case_types__contains=[value])
    return models.Q(case_types__icontains=f'"{value}"')


class Case(Versioned, models.Model):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="cases")
    branch = models.ForeignKey(
        "accounts.Branch", on_delete=models.PROTECT, related_name="cases", verbose_name=_("branch")
    )
    case_types = models.JSONField(
        _("case types"), default=list, validators=[ChoiceListValidator(CaseType.values)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.INTAKE
    )
    assigned = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="assigned_cases",
        blank=True,
        verbose_name=_("assigned staff"),
    )
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    closure_note = EncryptedTextField(_("closure note"), null=True, blank=True)
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only assigned staff and the branch manager may see a restricted case."),
    )
    summary = EncryptedTextField(_("summary"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The caseload: newest first within a branch and status.
            models.Index(
                fields=["branch", "status", "-opened_on", "-id"], name="case_branch_status_idx"
            ),
            # ... and over every status (the caseload as it opens).
            models.Index(fields=["branch", "-opened_on", "-id"], name="case_branch_opened_idx"),
            # The branch's cases as the access rule and the client filters read them
            # (whose client, restricted or not), from the index alone on PostgreSQL.
            models.Index(
                fields=["branch", "client"],
                include=["restricted", "id"],
                name="case_branch_client_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
                violation_error_message=_("A case cannot close before it opened."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed")
                | (models.Q(closed_on__isnull=False) & ~models.Q(closure_reason="")),
                name="case_closed_has_date_and_reason",
                violation_error_message=_("A closed case needs a closing date and a reason."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values), name="case_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.client.case_code} #{self.pk}"

    @property
    def reference(self) -> str:
        return f"{self.client.case_code}/{self.pk}"


class CaseStatusChange(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=CaseStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    @property
    def audit_branch_id(self):
        return self.case.branch_id


class CaseEvent(Versioned, Record):
    """A dated milestone of a case (hearing, appointment, deadline); reminders read these."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=32, choices=CaseEventKind.choices)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    @property
    def audit_branch_id(self):
        return self.case.branch_id


class CounsellingSession(Versioned, Record):
    """One contact with the client: counselling, legal advice, a call, a visit."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    started_at = models.DateTimeField(_("date and time"), default=timezone.now)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    mode = models.CharField(_("mode"), max_length=24, choices=SessionMode.choices)
    language = models.CharField(
        _("language used"), max_length=3, blank=True, validators=[validate_language_code]
    )
    interpreter_name = models.CharField(_("interpreter"), max_length=150, blank=True)
    interpreter_organisation = models.CharField(
        _("interpreter's organisation"), max_length=150, blank=True
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("staff"),
    )
    services = models.JSONField(
        _("services given"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(Service.values)],
    )
    notes = EncryptedTextField(_("notes"), null=True, blank=True)
    follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            # The session list, newest first, without sorting every session of the
            # branches she may see to show fifty.
            models.Index(fields=["-started_at"], name="session_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=24 * 60),
                name="session_duration_plausible",
                violation_error_message=_("Duration must be between 1 minute and 24 hours."),
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.case.branch_id
