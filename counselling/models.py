"""Clients, cases and everything recorded on them.

Sensitive free text and contact data are encrypted columns (ngo.lib.crypto);
names stay searchable. Every record is reached through counselling.access_rules
and written through counselling.services.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from counselling.record import Record
from ngo.lib.codes import ChoiceListValidator, validate_language_code, validate_language_codes
from ngo.lib.crypto import EncryptedCharField, EncryptedTextField, blind_index, normalise_phone
from ngo.lib.private_files import PrivateFileModel


def phone_index_of(phone: str | None) -> str:
    return blind_index(normalise_phone(phone), purpose="client-phone")


# --- Vocabularies ----------------------------------------------------------------


class ResidenceStatus(models.TextChoices):
    F6 = "F-6", _("F-6 marriage migrant")
    E9 = "E-9", _("E-9 non-professional employment (EPS)")
    H2 = "H-2", _("H-2 visit and employment")
    E62 = "E-6-2", _("E-6-2 entertainment")
    G1 = "G-1", _("G-1 asylum seeker / humanitarian")
    D2 = "D-2", _("D-2 student")
    NATURALISED = "naturalised", _("Naturalised")
    UNDOCUMENTED = "undocumented", _("Undocumented")
    OTHER = "other", _("Other")


class MaritalStatus(models.TextChoices):
    MARRIED = "married", _("Married")
    SEPARATED = "separated", _("Separated")
    DIVORCE_PENDING = "divorce_pending", _("Divorce in progress")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")
    SINGLE = "single", _("Single")
    PARTNER = "partner", _("Unmarried partner")
    UNKNOWN = "unknown", _("Unknown")


class CaseType(models.TextChoices):
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    TRAFFICKING = "trafficking", _("Trafficking")
    LABOUR = "labour", _("Labour rights")
    FAMILY_LAW = "family_law", _("Divorce / family law")
    RESIDENCE = "residence", _("Residence / nationality")
    HEALTH = "health", _("Health / postnatal")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    INTAKE = "intake", _("Intake")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    NONE = "none", _("Not assessed")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    SEVERE = "severe", _("Severe")


class ClosureReason(models.TextChoices):
    RESOLVED = "resolved", _("Goals met / resolved")
    CLIENT_WITHDREW = "client_withdrew", _("Client withdrew")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    REFERRED = "referred", _("Referred elsewhere")
    LEFT_KOREA = "left_korea", _("Left Korea")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class SessionMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    HOTLINE = "hotline", _("Hotline call")
    ONLINE = "online", _("Online")
    HOME_VISIT = "home_visit", _("Home visit")
    ACCOMPANY_COURT = "accompany_court", _("Accompaniment: court")
    ACCOMPANY_POLICE = "accompany_police", _("Accompaniment: police")
    ACCOMPANY_HOSPITAL = "accompany_hospital", _("Accompaniment: hospital")
    ACCOMPANY_IMMIGRATION = "accompany_immigration", _("Accompaniment: immigration office")


class Service(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling")
    LEGAL_ADVICE = "legal_advice", _("Legal advice")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    MEDICAL = "medical", _("Medical support")
    POSTNATAL = "postnatal", _("Postnatal care")
    EDUCATION = "education", _("Education")
    EMERGENCY_FINANCIAL = "emergency_financial", _("Emergency financial support")


class CaseEventKind(models.TextChoices):
    COURT_HEARING = "court_hearing", _("Court hearing")
    POLICE_INTERVIEW = "police_interview", _("Police interview")
    IMMIGRATION_APPOINTMENT = "immigration_appointment", _("Immigration office appointment")
    VISA_DEADLINE = "visa_deadline", _("Visa extension deadline")
    MEDICAL_APPOINTMENT = "medical_appointment", _("Medical appointment")
    OTHER = "other", _("Other")


class ConsentPurpose(models.TextChoices):
    STORE_DATA = "store_data", _("Storing her data")
    SHARE_REFERRAL = "share_referral", _("Sharing with referral organisations")
    STATISTICS = "statistics", _("Anonymised statistical use in reports")
    ADVOCACY_STORY = "advocacy_story", _("Use of her story in advocacy")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


REFERRAL_TRANSITIONS = {
    ReferralStatus.SENT: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED},
    ReferralStatus.ACCEPTED: {ReferralStatus.COMPLETED},
    ReferralStatus.DECLINED: set(),
    ReferralStatus.COMPLETED: set(),
}

# Organisation kinds that a referral can go to (from the shared directory).
REFERRAL_ORGANISATION_KINDS = (
    "hospital",
    "legal_aid",
    "police",
    "immigration_office",
    "ngo",
    "shelter",
    "community_group",
    "lawyers",
    "government",
)


# --- Clients -----------------------------------------------------------------------


class CaseCodeCounter(Record):
    """The last number given per branch and year (SEO-2026-0042)."""

    branch = models.ForeignKey("accounts.Branch", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="case_code_counter_unique")
        ]


class Client(models.Model):
    # Recomputed by rotate_field_key when the key changes.
    BLIND_INDEXES = {"phone_index": lambda client: phone_index_of(client.phone)}

    branch = models.ForeignKey(
        "accounts.Branch",
        on_delete=models.PROTECT,
        related_name="clients",
        verbose_name=_("branch"),
    )
    case_code = models.CharField(_("case code"), max_length=20, unique=True, editable=False)
    name_original = models.CharField(_("name in her own script"), max_length=200, blank=True)
    name_romanised = models.CharField(_("name (romanised)"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    nationality = CountryField(_("nationality"), blank=True)
    languages = models.JSONField(
        _("languages spoken"), default=list, blank=True, validators=[validate_language_codes]
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    # Encrypted: the most dangerous datum in the system (e.g. "undocumented").
    residence_status = EncryptedCharField(
        _("residence status"),
        max_length=20,
        choices=ResidenceStatus.choices,
        null=True,
        blank=True,
    )
    visa_expiry = models.DateField(_("visa expiry date"), null=True, blank=True)
    marital_status = models.CharField(
        _("marital status"),
        max_length=20,
        choices=MaritalStatus.choices,
        default=MaritalStatus.UNKNOWN,
    )
    phone = EncryptedCharField(_("phone"), max_length=40, null=True, blank=True)
    # Keyed hash of the phone's digits: finds duplicates without decrypting.
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = EncryptedTextField(_("address"), null=True, blank=True)
    safe_contact = EncryptedTextField(
        _("safe-contact instructions"),
        null=True,
        blank=True,
        help_text=_('e.g. "never leave a message", "call only 10-16h"'),
    )
    narrative = EncryptedTextField(_("background (narrative)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            models.Index(fields=["branch", "created_at"], name="client_branch_created_idx"),
            models.Index(fields=["name_romanised"], name="client_name_rom_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_original="") | ~models.Q(name_romanised=""),
                name="client_has_a_name",
                violation_error_message=_("Give her name in her own script or romanised."),
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_age__isnull=True) | models.Q(estimated_age__lte=120),
                name="client_age_plausible",
                violation_error_message=_("The estimated age must be 120 or less."),
            ),
        ]

    def __str__(self):
        return self.case_code

    @property
    def display_name(self) -> str:
        if self.name_original and self.name_romanised:
            return f"{self.name_original} ({self.name_romanised})"
        return self.name_original or self.name_romanised


class Child(Record):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(
        _("age"), null=True, blank=True, validators=[MaxValueValidator(30)]
    )
    lives_with_client = models.BooleanField(_("lives with her"), default=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)

    class Meta:
        ordering = ["birth_date", "id"]
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(age__isnull=True) | models.Q(age__lte=30),
                name="child_age_plausible",
                violation_error_message=_("A child's age must be 30 or less."),
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.client.branch_id


# --- Cases -------------------------------------------------------------------------


class Case(models.Model):
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
        indexes = [models.Index(fields=["branch", "status"], name="case_branch_status_idx")]
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


class CaseEvent(Record):
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


class CounsellingSession(Record):
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


# --- Risk and safety ------------------------------------------------------------------

# Danger indicators (yes/no) with their weight in the score. Modelled on the
# Danger Assessment and the questions migrant-women's centres add about
# residence status and documents.
RISK_INDICATORS = {
    "threats_to_kill": (3, _("He has threatened to kill her (or the children)")),
    "weapon": (3, _("He has used or threatened her with a weapon")),
    "strangulation": (3, _("He has choked or strangled her")),
    "escalation": (2, _("The violence is getting worse or more frequent")),
    "controlling_jealousy": (1, _("He is violently and constantly jealous or controlling")),
    "pregnancy": (2, _("She is pregnant or gave birth within the last year")),
    "recent_separation": (2, _("She has left him or is about to")),
    "residence_threats": (2, _("He threatens her residence status or deportation")),
    "documents_withheld": (1, _("He keeps her passport, alien card or other documents")),
    "children_at_risk": (2, _("The children are at risk or have been hurt")),
    "sexual_violence": (2, _("He forces her to have sex")),
    "substance_abuse": (1, _("He abuses alcohol or drugs")),
    "isolation": (1, _("She is isolated from family, friends or her community")),
    "stalking": (1, _("He follows, watches or harasses her")),
    "suicide_threats": (1, _("He threatens suicide")),
}


class RiskAssessment(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score"))
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)
    follow_up_by = models.DateTimeField(_("follow up by"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)

    class Meta:
        ordering = ["-assessed_at"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    @property
    def audit_branch_id(self):
        return self.case.branch_id


class SafetyPlan(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_plans")
    risk_assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(is_active=True),
                name="one_active_safety_plan_per_case",
            )
        ]

    @property
    def audit_branch_id(self):
        return self.case.branch_id


class SafetyPlanItem(Record):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="items")
    action = EncryptedTextField(_("action"))
    responsible = models.CharField(_("who"), max_length=150)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_on", "id"]


class SafetyPlanReview(Record):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("note"), null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]


# --- Consent, referrals, documents -------------------------------------------------------


class Consent(Record):
    """One consent decision. The history is kept; the newest record of a purpose
    is in force. A withdrawal is a new record."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"), help_text=_("Unticked: refused or withdrawn."))
    organisation_kinds = models.JSONField(
        _("organisation kinds"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(REFERRAL_ORGANISATION_KINDS)],
        help_text=_("For sharing: the kinds of organisation she agreed to."),
    )
    decided_on = models.DateField(_("date"), default=timezone.localdate)
    explanation_language = models.CharField(
        _("language of the explanation"), max_length=3, validators=[validate_language_code]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    signed_form = models.ForeignKey(
        "counselling.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed form"),
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    @property
    def audit_branch_id(self):
        return self.client.branch_id


class Referral(Record):
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


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    IMAGE = "image", _("Image")
    OFFICE = "office", _("Office document")


class Document(PrivateFileModel, Record):
    """A file on a client, a case or a session. Stored encrypted outside any
    public path; served only by a permission-checked, audited view."""

    file_area = ""  # case documents sit at the root of PRIVATE_MEDIA_ROOT

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="documents")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    session = models.ForeignKey(
        CounsellingSession,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    title = EncryptedCharField(_("title"), max_length=200)
    original_name = EncryptedCharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    @property
    def audit_branch_id(self):
        return self.client.branch_id


class CaseActivity(Record):
    """One line of a case's timeline, written by the service that did the thing.
    Client-level lines (consent, client documents) have no case and show on
    every case of the client."""

    class Kind(models.TextChoices):
        CASE_OPENED = "case_opened", _("Case opened")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assignment changed")
        CASE_UPDATED = "case_updated", _("Case details changed")
        SESSION = "session", _("Session")
        EVENT = "event", _("Key date")
        RISK = "risk", _("Risk assessment")
        SAFETY_PLAN = "safety_plan", _("Safety plan")
        REFERRAL = "referral", _("Referral")
        DOCUMENT = "document", _("Document")
        CONSENT = "consent", _("Consent")
        CLIENT_UPDATED = "client_updated", _("Client details changed")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="activities")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # A short, non-identifying label (e.g. "active", "high", "hospital").
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
