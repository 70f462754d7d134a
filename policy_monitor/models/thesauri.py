"""The thesauri: themes and other terms, SDG targets and clusters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ngo.lib.i18n import bilingual_property
from policy_monitor.models._common import Stamped


class Vocabulary(models.TextChoices):
    THEME = "theme", _("Theme")
    AFFECTED_PERSONS = "affected_persons", _("Affected persons")


class Term(models.Model):
    """One term of a thesaurus (UHRI themes, UHRI affected persons). The English
    label is the one UHRI uses, so imports match on it."""

    vocabulary = models.CharField(_("thesaurus"), max_length=20, choices=Vocabulary.choices)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ko = models.CharField(_("label (Korean)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["vocabulary", "label_en"]
        verbose_name = _("thesaurus term")
        verbose_name_plural = _("thesaurus terms")
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "label_en"],
                name="term_unique_label",
                violation_error_message=_("This term already exists."),
            ),
        ]

    def __str__(self):
        return self.label

    label = bilingual_property("label_ko", "label_en")


class SdgTarget(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("e.g. 5.2"))
    goal = models.PositiveSmallIntegerField(_("goal"), db_index=True)
    label = models.CharField(_("label"), max_length=300, blank=True)

    class Meta:
        ordering = ["goal", "code"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return self.code


class Cluster(Stamped):
    """Related recommendations grouped by the policy team (e.g. everything on
    the E-9 workplace-change rule across CEDAW, CERD and the UPR)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster of recommendations")
        verbose_name_plural = _("clusters of recommendations")

    def __str__(self):
        return self.name
