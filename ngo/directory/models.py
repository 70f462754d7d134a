from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ngo.lib.i18n import bilingual_property
from ngo.lib.versions import Versioned


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO")
    WOMENS_ORGANISATION = "womens_organisation", _("Women's organisation")
    COMMUNITY_GROUP = "community_group", _("Migrant community group")
    LABOUR_UNION = "labour_union", _("Labour union")
    RELIGIOUS_BODY = "religious_body", _("Religious body")
    LAWYERS = "lawyers", _("Lawyers' group")
    ACADEMIC = "academic", _("Academic")
    INTERNATIONAL = "international", _("International organisation")
    GOVERNMENT = "government", _("Government body")
    MEDIA = "media", _("Media")
    HOSPITAL = "hospital", _("Hospital")
    LEGAL_AID = "legal_aid", _("Legal aid")
    POLICE = "police", _("Police")
    IMMIGRATION_OFFICE = "immigration_office", _("Immigration office")
    SHELTER = "shelter", _("Shelter")
    SERVICE_PROVIDER = "service_provider", _("Other service provider")


class OrganisationScope(models.TextChoices):
    LOCAL = "local", _("Local")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class AuthorityType(models.TextChoices):
    """What kind of authority a government or UN body is, so that campaign
    demands can be addressed to it."""

    MINISTRY = "ministry", _("Ministry")
    COMMITTEE = "committee", _("Committee")
    NATIONAL_ASSEMBLY = "national_assembly", _("National Assembly")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    UN_BODY = "un_body", _("UN body")
    OTHER = "other", _("Other authority")


class Tag(models.Model):
    """A free label on organisations ("women", "refugees", "Mongolia"), shared so
    that the directory can be filtered by it."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="tag_has_a_name"),
        ]

    def __str__(self):
        return self.name


def name_key(value: str) -> str:
    """A name as duplicates are compared: case and spaces ignored."""
    return "".join((value or "").split()).casefold()


def name_key_expression(field: str):
    """The same key in SQL (spaces and case; enough for the directory's size)."""
    return Replace(Lower(field), models.Value(" "), models.Value(""))


class Organisation(Versioned, models.Model):
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    authority_type = models.CharField(
        _("type of authority"),
        max_length=20,
        choices=AuthorityType.choices,
        blank=True,
        help_text=_("For government and UN bodies that campaign demands are addressed to."),
    )
    country = CountryField(_("country"), default="KR")
    scope = models.CharField(
        _("scope"),
        max_length=16,
        choices=OrganisationScope.choices,
        default=OrganisationScope.NATIONAL,
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="organisations", verbose_name=_("tags")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name_en", "name_ko"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_ko="") | ~models.Q(name_en=""),
                name="organisation_has_a_name",
                violation_error_message=_("Give the name in Korean or in English."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(authority_type="")
                | models.Q(kind__in=[OrganisationKind.GOVERNMENT, OrganisationKind.INTERNATIONAL]),
                name="organisation_authority_is_public_body",
                violation_error_message=_(
                    "Only a government body or an international organisation has a type of "
                    "authority."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    name = bilingual_property("name_ko", "name_en")

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]


class ContactPerson(Versioned, models.Model):
    """Someone to reach at an organisation. Their e-mail and phone are shown to
    staff only (Capability.READ_CONTACT_DETAILS), never to volunteers."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("role or title"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation", "name", "id"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="contact_person_has_a_name"),
        ]

    def __str__(self):
        return self.name
