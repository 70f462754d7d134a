"""Recommendations and commitments, and their assessments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policy_monitor.models._common import Stamped
from policy_monitor.models.policies import Policy, PolicyEvent, PolicyKind
from policy_monitor.models.reviews import Mechanism, Review
from policy_monitor.models.submissions import Submission
from policy_monitor.models.thesauri import Cluster, SdgTarget, Term, Vocabulary


class Source(models.TextChoices):
    MECHANISM = "mechanism", _("UN mechanism")
    PLAN = "plan", _("National action plan")


class Position(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    NOTED = "noted", _("Noted")
    NONE = "none", _("No position")


class ImplementationStatus(models.TextChoices):
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    PARTIALLY = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    REGRESSED = "regressed", _("Regressed")
    UNKNOWN = "unknown", _("Unknown")


class Recommendation(Stamped):
    """A UN recommendation, or a government commitment in a national action plan."""

    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MECHANISM
    )
    mechanism = models.ForeignKey(
        Mechanism,
        verbose_name=_("mechanism"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    plan = models.ForeignKey(
        Policy,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        limit_choices_to={"kind": PolicyKind.NATIONAL_ACTION_PLAN},
    )
    review = models.ForeignKey(
        Review,
        verbose_name=_("review"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    text = models.TextField(_("text"))
    document_symbol = models.CharField(
        _("document symbol"), max_length=80, blank=True, db_index=True
    )
    paragraph = models.CharField(_("paragraph"), max_length=30, blank=True)
    paragraph_unparsed = models.BooleanField(
        _("paragraph not recognised"),
        default=False,
        help_text=_("The import could not read a paragraph number at the start of the text."),
    )
    issued_on = models.DateField(_("date"), null=True, blank=True, db_index=True)
    themes = models.ManyToManyField(
        Term,
        verbose_name=_("themes"),
        blank=True,
        related_name="recommendations_by_theme",
        limit_choices_to={"vocabulary": Vocabulary.THEME},
    )
    affected_persons = models.ManyToManyField(
        Term,
        verbose_name=_("affected persons"),
        blank=True,
        related_name="recommendations_by_persons",
        limit_choices_to={"vocabulary": Vocabulary.AFFECTED_PERSONS},
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="recommendations"
    )
    recommending_states = models.JSONField(_("recommending States (UPR)"), default=list, blank=True)
    position = models.CharField(
        _("position of the State"), max_length=16, choices=Position.choices, default=Position.NONE
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    document_type = models.CharField(_("document type"), max_length=80, blank=True)
    upr_session = models.CharField(_("UPR session"), max_length=40, blank=True)
    countries_concerned = models.JSONField(_("countries concerned"), default=list, blank=True)
    # The shadow-report datasets that show how far it is implemented (the evidence chain).
    datasets = models.ManyToManyField(
        "statistics.StatisticsDataset",
        verbose_name=_("statistics datasets"),
        blank=True,
        related_name="recommendations",
    )
    uhri_annotation_id = models.CharField(
        _("OHCHR annotation id"), max_length=64, null=True, blank=True, editable=False
    )
    # Denormalised from the latest assessment by services.assessment_record.
    current_status = models.CharField(
        _("current status"),
        max_length=24,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.UNKNOWN,
        db_index=True,
        editable=False,
    )
    current_status_on = models.DateField(
        _("last assessed on"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-issued_on", "document_symbol", "paragraph", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["document_symbol", "paragraph"])]
        constraints = [
            models.UniqueConstraint(
                fields=["uhri_annotation_id"],
                condition=Q(uhri_annotation_id__isnull=False),
                name="recommendation_unique_annotation",
                violation_error_message=_("A recommendation with this OHCHR annotation id exists."),
            ),
            models.CheckConstraint(
                condition=(Q(source=Source.MECHANISM) & Q(mechanism__isnull=False))
                | (Q(source=Source.PLAN) & Q(plan__isnull=False)),
                name="recommendation_source_given",
                violation_error_message=_(
                    "A recommendation needs its mechanism; a commitment needs its plan."
                ),
            ),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="recommendation_position_known"
            ),
            models.CheckConstraint(
                condition=Q(current_status__in=ImplementationStatus.values),
                name="recommendation_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="recommendation_has_text",
                violation_error_message=_("The text is required."),
            ),
        ]

    def __str__(self):
        where = self.document_symbol or (self.plan.title if self.plan_id else "")
        return f"{where} ¶{self.paragraph}" if self.paragraph else where or f"#{self.pk}"

    @property
    def is_commitment(self) -> bool:
        return self.source == Source.PLAN

    @property
    def source_label(self) -> str:
        if self.source == Source.PLAN:
            return self.plan.title if self.plan_id else ""
        return self.mechanism.code if self.mechanism_id else ""


class Assessment(models.Model):
    """One dated judgement of implementation. Never edited: a new assessment
    supersedes the previous one and the history stays."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    assessed_on = models.DateField(_("assessed on"), db_index=True)
    status = models.CharField(_("status"), max_length=24, choices=ImplementationStatus.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        related_name="policy_assessments",
    )
    evidence = models.TextField(_("evidence"))
    policies = models.ManyToManyField(
        Policy, verbose_name=_("laws and policies"), blank=True, related_name="assessments"
    )
    policy_events = models.ManyToManyField(
        PolicyEvent, verbose_name=_("policy events"), blank=True, related_name="assessments"
    )
    submissions = models.ManyToManyField(
        Submission, verbose_name=_("submissions"), blank=True, related_name="assessments"
    )
    campaigns = models.ManyToManyField(
        "campaigns.Campaign", verbose_name=_("campaigns"), blank=True, related_name="assessments"
    )
    datasets = models.ManyToManyField(
        "statistics.StatisticsDataset",
        verbose_name=_("shadow-report datasets"),
        blank=True,
        related_name="assessments",
    )
    # Services, API, form and filters pick up every many-to-many field of this
    # model (services.ASSESSMENT_LINKS).
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-created_at", "-pk"]
        verbose_name = _("implementation assessment")
        verbose_name_plural = _("implementation assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImplementationStatus.values),
                name="assessment_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.assessed_on:%Y-%m-%d} {self.get_status_display()}"
