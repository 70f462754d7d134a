"""The client, her children and the per-branch case numbering."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from counselling.models.choices import MaritalStatus, ResidenceStatus
from counselling.record import Record
from ngo.lib.codes import validate_language_codes
from ngo.lib.crypto import EncryptedCharField, EncryptedTextField, blind_index, normalise_phone
from ngo.lib.versions import Versioned


def phone_index_of(phone: str | None) -> str:
    return blind_index(normalise_phone(phone), purpose="client-phone")


def residence_index_of(status: str | None) -> str:
    """The keyed hash the caseload filters residence status by (see the README:
    it tells a reader of the database which women share a status, not which)."""
    return blind_index(status or "", purpose="client-residence")


class CaseCodeCounter(Record):
    """The last number given per branch and year (SEO-2026-0042)."""

    branch = models.ForeignKey("accounts.Branch", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["branch", "year"], name="case_code_counter_unique")
        ]


class Client(Versioned, models.Model):
    # Recomputed by rotate_field_key when the key changes.
    BLIND_INDEXES = {
        "phone_index": lambda client: phone_index_of(client.phone),
        "residence_status_index": lambda client: residence_index_of(client.residence_status),
    }

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
    # Keyed hash of the status: the caseload filters by it without decrypting.
    residence_status_index = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
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
            # The client list, newest first: read in this order until a page of the
            # ones she may see is found (her access rule is not one branch column).
            models.Index(fields=["-created_at"], name="client_newest_idx"),
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

    def refresh_blind_indexes(self) -> None:
        for field_name, compute in self.BLIND_INDEXES.items():
            setattr(self, field_name, compute(self))

    @property
    def display_name(self) -> str:
        if self.name_original and self.name_romanised:
            return f"{self.name_original} ({self.name_romanised})"
        return self.name_original or self.name_romanised


class Child(Versioned, Record):
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
