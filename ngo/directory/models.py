from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO")
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


class OrganisationScope(models.TextChoices):
    LOCAL = "local", _("Local")
    NATIONAL = "national", _("National")
    INTERNATIONAL = "international", _("International")


class Organisation(models.Model):
    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
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
    tags = models.JSONField(_("tags"), default=list, blank=True)
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
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        korean = (get_language() or "ko").startswith("ko")
        first, second = (self.name_ko, self.name_en) if korean else (self.name_en, self.name_ko)
        return first or second
