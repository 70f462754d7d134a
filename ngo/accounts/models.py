from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    is_active = models.BooleanField(_("active"), default=True)
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
            cached = set(self.branches.values_list("id", flat=True))
            self._branch_ids = cached
        return cached

    def works_at(self, branch) -> bool:
        """Does she work with the records of `branch` (one of hers, or every branch)?"""
        branch_id = getattr(branch, "pk", branch)
        return self.can(Capability.ALL_BRANCHES) or branch_id in self.branch_ids()
