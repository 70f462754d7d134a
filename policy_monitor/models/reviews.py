"""UN mechanisms and their reviews."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ngo.lib.i18n import bilingual_property
from policy_monitor.models._common import Stamped


class MechanismKind(models.TextChoices):
    TREATY_BODY = "treaty_body", _("Treaty body")
    UPR = "upr", _("Universal Periodic Review")
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedures")


class Mechanism(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MechanismKind.choices)
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names of this body, e.g. as written in UHRI exports."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("UN mechanism")
        verbose_name_plural = _("UN mechanisms")

    def __str__(self):
        return self.code

    name = bilingual_property("name_ko", "name_en")


class Review(Stamped):
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="reviews"
    )
    state = CountryField(_("State under review"), default="KR")
    cycle = models.CharField(
        _("cycle or periodic report"),
        max_length=60,
        help_text=_("e.g. 9th periodic report, UPR 4th cycle"),
    )
    session = models.CharField(_("session"), max_length=60, blank=True)
    document_symbol = models.CharField(
        _("concluding observations symbol"), max_length=60, blank=True, db_index=True
    )
    list_of_issues_on = models.DateField(_("list of issues"), null=True, blank=True, db_index=True)
    ngo_deadline = models.DateField(
        _("NGO submission deadline"), null=True, blank=True, db_index=True
    )
    dialogue_on = models.DateField(_("constructive dialogue"), null=True, blank=True, db_index=True)
    concluding_observations_on = models.DateField(
        _("concluding observations"), null=True, blank=True, db_index=True
    )
    follow_up_deadline = models.DateField(
        _("follow-up deadline"), null=True, blank=True, db_index=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-dialogue_on", "mechanism__order", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "state", "cycle"],
                name="review_unique_cycle",
                violation_error_message=_("This review is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.mechanism.code} {self.state.code} {self.cycle}"

    def key_dates(self) -> list[tuple[str, object]]:
        names = (
            "list_of_issues_on",
            "ngo_deadline",
            "dialogue_on",
            "concluding_observations_on",
            "follow_up_deadline",
        )
        return [
            (self._meta.get_field(n).verbose_name, getattr(self, n))
            for n in names
            if getattr(self, n)
        ]
