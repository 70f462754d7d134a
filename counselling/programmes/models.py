"""Empowerment programmes: classes, enrolment (clients or community members) and
attendance.

The models moved here from the counselling app; their tables keep the names they
had there (`Meta.db_table`), and their audit events keep the object type they had
(`audit_object_type`), so the trail of a programme reads the same before and after."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.record import Record
from ngo.lib.codes import validate_language_code
from ngo.lib.crypto import EncryptedCharField
from ngo.lib.versions import Versioned


class ProgrammeType(models.TextChoices):
    KOREAN = "korean", _("Korean language")
    CULTURE = "culture", _("Korean culture")
    INFO_LITERACY = "info_literacy", _("Information literacy")
    LEADERSHIP = "leadership", _("Leadership")
    NEWBORN_CARE = "newborn_care", _("Newborn care")
    OTHER = "other", _("Other")


class Programme(Versioned, Record):
    audit_object_type = "counselling.programme"

    branch = models.ForeignKey(
        "accounts.Branch",
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("branch"),
    )
    title_ko = models.CharField(_("title (Korean)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=ProgrammeType.choices)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitated_programmes",
        verbose_name=_("facilitator"),
    )
    language = models.CharField(
        _("language of instruction"), max_length=3, validators=[validate_language_code]
    )
    interpreter_available = models.BooleanField(_("interpreter available"), default=False)
    completion_threshold = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # An archived programme stays readable but takes no new enrolments.
    archived = models.BooleanField(
        _("archived"),
        default=False,
        help_text=_("Archived programmes are not offered for new enrolments."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "counselling_programme"
        ordering = ["-starts_on", "title_en"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
                violation_error_message=_("A programme cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_ko if (get_language() or "ko").startswith("ko") else self.title_en


class ClassSession(Record):
    audit_object_type = "counselling.classsession"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        db_table = "counselling_classsession"
        ordering = ["starts_at"]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")

    @property
    def audit_branch_id(self):
        return self.programme.branch_id


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(Record):
    """A client (shown by case code) or a community member without a case (name
    and contact only, no case data)."""

    audit_object_type = "counselling.enrolment"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="enrolments")
    client = models.ForeignKey(
        "counselling.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    member_name = EncryptedCharField(
        _("name (community member)"), max_length=150, null=True, blank=True
    )
    member_contact = EncryptedCharField(
        _("contact (community member)"), max_length=150, null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ENROLLED,
    )
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        db_table = "counselling_enrolment"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "client"],
                condition=models.Q(client__isnull=False),
                name="client_enrolled_once",
                violation_error_message=_("She is already enrolled in this programme."),
            ),
            models.CheckConstraint(
                condition=models.Q(client__isnull=False, member_name__isnull=True)
                | models.Q(client__isnull=True, member_name__isnull=False),
                name="enrolment_client_or_member",
                violation_error_message=_(
                    "Enrol either a client (by case code) or a community member (by name)."
                ),
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.programme.branch_id


class Attendance(Record):
    audit_object_type = "counselling.attendance"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE, related_name="attendances")
    present = models.BooleanField(_("present"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "counselling_attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="attendance_once_per_session"
            ),
        ]
