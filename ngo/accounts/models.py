import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp import models as otp_totp
from django_otp.plugins.otp_totp.models import default_key, key_validator
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from ngo.accounts.roles import Capability, Role, capabilities_of, role_needs_two_factor
from ngo.lib.crypto import EncryptedCharField
from ngo.lib.i18n import bilingual_property

LANGUAGE_CHOICES = [("ko", "한국어"), ("en", "English")]

branch_code_validator = RegexValidator(
    r"^[A-Z]{2,5}$", _("Use 2 to 5 capital Latin letters, e.g. SEO.")
)


class Branch(models.Model):
    code = models.CharField(
        _("code"),
        max_length=5,
        unique=True,
        validators=[branch_code_validator],
        help_text=_("Short code used in case codes, e.g. SEO for SEO-2026-0042."),
    )
    name_ko = models.CharField(_("name (Korean)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_head_office = models.BooleanField(_("head office"), default=False)
    region = models.CharField(_("region"), max_length=100, blank=True)
    # Printed on the letters a branch issues (its public office, never a shelter's).
    address_ko = models.CharField(_("address (Korean)"), max_length=200, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Manager approvals the branch asks for (counselling.approvals).
    closure_needs_approval = models.BooleanField(
        _("closing a case needs the branch manager's approval"), default=False
    )
    high_risk_plan_needs_approval = models.BooleanField(
        _("a high-risk safety plan needs the branch manager's approval"), default=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-is_head_office", "code"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        constraints = [
            models.UniqueConstraint(
                fields=["is_head_office"],
                condition=models.Q(is_head_office=True),
                name="branch_single_head_office",
                violation_error_message=_("There is already a head office."),
            ),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2,5}$"),
                name="branch_code_format",
                violation_error_message=_("Use 2 to 5 capital Latin letters, e.g. SEO."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    name = bilingual_property("name_ko", "name_en")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", Role.ADMINISTRATOR)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff or a volunteer. Signs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    branches = models.ManyToManyField(
        Branch, related_name="staff", blank=True, verbose_name=_("branches")
    )
    # Encrypted columns store empty values as NULL.
    phone = EncryptedCharField(_("work phone"), max_length=40, blank=True, null=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("Django admin access"), default=False, help_text=_("Set from the role.")
    )
    is_demo = models.BooleanField(default=False, editable=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        default="ko",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="user_role_known"
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name

    @property
    def capabilities(self) -> frozenset[Capability]:
        if not self.is_active:
            return frozenset()
        return capabilities_of(self.role)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @property
    def needs_two_factor(self) -> bool:
        return role_needs_two_factor(self.role)

    def branch_ids(self) -> set[int]:
        """The branches whose records this person works with (cached per instance)."""
        cached = getattr(self, "_branch_ids", None)
        if cached is None:
            read = getattr(self, "_branch_id_list", None)  # read with her row (StaffBackend)
            if read is not None:
                cached = set(read)
            else:
                cached = set(self.branches.values_list("id", flat=True))
            self._branch_ids = cached
        return cached

    def works_at(self, branch) -> bool:
        """Does she work with the records of `branch` (one of hers, or every branch)?"""
        branch_id = getattr(branch, "pk", branch)
        return self.can(Capability.ALL_BRANCHES) or branch_id in self.branch_ids()


# --- API tokens and second-factor devices --------------------------------------------


class ApiToken(AbstractAuthToken):
    """A named API token (django-rest-knox). Only a digest of the key is stored,
    with its first characters for the lookup; the key itself is shown once.

    `otp_device_id` is the persistent id of the second-factor device that had
    verified the session the token was issued from: a token request counts as
    second-factor-verified through that device, and only while it still exists.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    otp_device_id = models.CharField(max_length=100, blank=True, editable=False)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                name="api_token_name_unique_per_user",
                violation_error_message=_("You already have an API token with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(expiry__isnull=False), name="api_token_expires"
            ),
        ]

    def __str__(self):
        return self.name

    def verifying_device(self):
        """The confirmed device that verified the issuing session, if it still exists."""
        if not self.otp_device_id:
            return None
        device = Device.from_persistent_id(self.otp_device_id)
        if device is None or device.user_id != self.user_id or not device.confirmed:
            return None
        return device


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator whose secret is encrypted with the field keys
    (django-otp's own TOTP device keeps it in plain hex). Token checking,
    throttling and the otpauth:// URL are django-otp's, unchanged."""

    key = EncryptedCharField(max_length=80, default=default_key, validators=[key_validator])
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    bin_key = otp_totp.TOTPDevice.bin_key
    verify_token = otp_totp.TOTPDevice.verify_token
    get_throttle_factor = otp_totp.TOTPDevice.get_throttle_factor
    config_url = otp_totp.TOTPDevice.config_url
    _read_str_from_settings = otp_totp.TOTPDevice._read_str_from_settings


def recovery_code_digest(code: str) -> str:
    """Recovery codes are random (80 bits), so a plain SHA-256 is enough to keep
    them unreadable at rest; spaces and case do not matter when typed."""
    normalised = "".join(code.split()).lower()
    return hashlib.sha256(normalised.encode()).hexdigest()


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """One-time recovery codes, stored as digests (django-otp's static device
    keeps them readable)."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token) -> bool:
        allowed, _data = self.verify_is_allowed()
        if not allowed or not isinstance(token, str):
            return False
        used = self.codes.filter(digest=recovery_code_digest(token)).delete()[0]
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique")
        ]

    def __str__(self):
        return f"recovery code {self.pk}"  # never the digest
