"""Laws, policies and plans, their events and monitoring notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo.directory.models import Organisation
from ngo.lib.i18n import bilingual_property
from policy_monitor.models._common import GOVERNMENT, Stamped


class PolicyKind(models.TextChoices):
    ACT = "act", _("Act")
    DECREE = "decree", _("Presidential or ministerial decree")
    ORDINANCE = "ordinance", _("Local ordinance")
    FIVE_YEAR_PLAN = "five_year_plan", _("Five-year plan")
    NATIONAL_ACTION_PLAN = "national_action_plan", _("National action plan")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft or proposed")
    ENACTED = "enacted", _("Enacted or adopted")
    IN_FORCE = "in_force", _("In force")
    ABOLISHED = "abolished", _("Abolished or expired")


class Policy(Stamped):
    kind = models.CharField(_("kind"), max_length=32, choices=PolicyKind.choices)
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    number = models.CharField(_("number"), max_length=80, blank=True)
    responsible_body = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        limit_choices_to=GOVERNMENT,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    enacted_on = models.DateField(_("enacted on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force on"), null=True, blank=True)
    ends_on = models.DateField(_("ends or abolished on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["-in_force_on", "title_ko", "title_en"]
        verbose_name = _("law or policy")
        verbose_name_plural = _("laws and policies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_ko="") | ~Q(title_en=""),
                name="policy_has_a_title",
                violation_error_message=_("Give the title in Korean or in English."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PolicyKind.values), name="policy_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PolicyStatus.values), name="policy_status_known"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(in_force_on__isnull=True)
                | Q(ends_on__gte=models.F("in_force_on")),
                name="policy_ends_after_in_force",
                violation_error_message=_("The end date cannot be before the date in force."),
            ),
        ]

    def __str__(self):
        return self.title

    title = bilingual_property("title_ko", "title_en")

    @property
    def is_plan(self) -> bool:
        return self.kind == PolicyKind.NATIONAL_ACTION_PLAN


class PolicyEventKind(models.TextChoices):
    AMENDMENT_PROPOSED = "amendment_proposed", _("Amendment proposed")
    PUBLIC_COMMENT = "public_comment", _("Public-comment period")
    CONSULTATION = "consultation", _("Consultation meeting")
    ENACTED = "enacted", _("Enacted")
    IN_FORCE = "in_force", _("In force")
    ABOLISHED = "abolished", _("Abolished")


class PolicyEvent(Stamped):
    policy = models.ForeignKey(
        Policy, verbose_name=_("law or policy"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PolicyEventKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    happens_on = models.DateField(_("date"), db_index=True)
    deadline = models.DateField(
        _("comment deadline"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("For a public-comment period: the last day to send comments."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisations_present = models.ManyToManyField(
        Organisation,
        verbose_name=_("bodies and organisations present"),
        blank=True,
        related_name="policy_events",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our participants"),
        blank=True,
        related_name="policy_events",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-happens_on", "-pk"]
        verbose_name = _("policy event")
        verbose_name_plural = _("policy events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PolicyEventKind.values), name="policy_event_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind=PolicyEventKind.PUBLIC_COMMENT) | Q(deadline__isnull=False),
                name="public_comment_has_deadline",
                violation_error_message=_("A public-comment period needs its deadline."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("happens_on")),
                name="policy_event_deadline_after_start",
                violation_error_message=_("The deadline cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.happens_on:%Y-%m-%d}"


class MonitoringNote(Stamped):
    policy = models.ForeignKey(
        Policy, verbose_name=_("law or policy"), on_delete=models.CASCADE, related_name="notes"
    )
    noted_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["-noted_on", "-pk"]
        verbose_name = _("monitoring note")
        verbose_name_plural = _("monitoring notes")

    def __str__(self):
        return f"{self.noted_on:%Y-%m-%d}"
