"""Files on a client, a case or a session."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.models.cases import Case, CounsellingSession
from counselling.models.clients import Client
from counselling.record import Record
from ngo.lib.crypto import EncryptedCharField
from ngo.lib.private_files import PrivateFileModel


class DocumentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    IMAGE = "image", _("Image")
    OFFICE = "office", _("Office document")


class DocumentCategory(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    ALIEN_REGISTRATION = "alien_registration", _("Alien registration card")
    POLICE_REPORT = "police_report", _("Police report")
    MEDICAL_CERTIFICATE = "medical_certificate", _("Medical certificate")
    COURT_ORDER = "court_order", _("Court order")
    DIVORCE_JUDGMENT = "divorce_judgment", _("Divorce judgment")
    CONSENT_FORM = "consent_form", _("Signed consent form")
    OTHER = "other", _("Other")


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
    category = models.CharField(
        _("category"),
        max_length=24,
        choices=DocumentCategory.choices,
        default=DocumentCategory.OTHER,
    )
    # Her passport, alien registration card or a court order runs out: the
    # assigned staff are reminded before (counselling.reminders).
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=DocumentCategory.values),
                name="document_category_known",
                violation_error_message=_("Choose the document's category from the list."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_on"],
                name="document_expires_idx",
                condition=models.Q(expires_on__isnull=False),
            )
        ]

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def audit_branch_id(self):
        return self.client.branch_id
