"""What a woman is told before she consents, in her own language.

One row is one version of one section in one language. A version's wording
never changes once saved: an edit saves the next version and the consents
recorded with the old one keep pointing at what she was actually shown. The
"reviewed by a native speaker" mark belongs to one version; an edit starts a
new, unreviewed one.

The app stands below counselling: it knows the consent purposes by their
codes (the same codes as counselling's ConsentPurpose, checked by a test)
and imports nothing of counselling.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo.lib.codes import validate_language_code
from ngo.lib.versions import Versioned

# The languages every installation explains consent in (Uzbek in Latin script,
# Mongolian in Cyrillic, Chinese simplified).
LANGUAGES = ("ko", "en", "vi", "zh", "tl", "km", "mn", "th", "ru", "uz")
# Shown beside her language on paper, and instead of it when it has no texts.
KOREAN, ENGLISH = "ko", "en"


class Section(models.TextChoices):
    STORE_DATA = "store_data", _("Purpose: storing her data")
    SHARE_REFERRAL = "share_referral", _("Purpose: sharing with referral organisations")
    STATISTICS = "statistics", _("Purpose: anonymised statistics")
    ADVOCACY_STORY = "advocacy_story", _("Purpose: her story in advocacy")
    RETENTION = "retention", _("How long her records are kept")
    RIGHTS = "rights", _("Her rights: access, correction, withdrawal")
    CONTACT = "contact", _("The centre's contact")


PURPOSE_SECTIONS = (
    Section.STORE_DATA,
    Section.SHARE_REFERRAL,
    Section.STATISTICS,
    Section.ADVOCACY_STORY,
)
GENERAL_SECTIONS = (Section.RETENTION, Section.RIGHTS, Section.CONTACT)


class ConsentText(Versioned):
    """One version of a section's text in one language. `version` counts the
    versions of the section in that language (it is also the API's ETag)."""

    language = models.CharField(_("language"), max_length=3, validators=[validate_language_code])
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), max_length=4000)
    is_current = models.BooleanField(_("current version"), default=True, editable=False)
    reviewed_by_native_speaker = models.BooleanField(
        _("reviewed by a native speaker"), default=False, editable=False
    )
    reviewer_name = models.CharField(
        _("native speaker who reviewed it"), max_length=200, blank=True, editable=False
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("review recorded by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("Empty for the texts that come with Hamkke."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["language", "section", "-version"]
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "section", "version"], name="consent_text_one_per_version"
            ),
            models.UniqueConstraint(
                fields=["language", "section"],
                condition=Q(is_current=True),
                name="consent_text_one_current",
            ),
            models.CheckConstraint(
                condition=Q(reviewed_by_native_speaker=False)
                | (Q(reviewed_at__isnull=False) & ~Q(reviewer_name="")),
                name="consent_text_review_has_who_and_when",
            ),
        ]

    def __str__(self):
        return f"{self.language}/{self.section} v{self.version}"
