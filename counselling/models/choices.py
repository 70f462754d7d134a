"""The vocabularies of case work: statuses, kinds, levels and the referral workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
