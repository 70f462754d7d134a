"""Shadow-report datasets: anonymised, aggregated counts from the case files.

A dataset stores only what may be published: the tables after small-cell
suppression (withheld figures are not kept at all), category codes, and the
number of women left out for lack of consent. No names, case codes or dates
finer than a month ever reach it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo.lib.codes import ChoiceListValidator
from ngo.lib.progress import Progress
from policy_monitor.statistics.tabulation import (
    DEFAULT_CELL_SIZE,
    DIMENSIONS,
    MAX_DIMENSIONS,
    MIN_CELL_SIZE,
    measure_dimension_problem,
)


class DatasetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Being generated")
    GENERATED = "generated", _("Generated")
    FAILED = "failed", _("Generation failed")
    REFUSED = "refused", _("Refused: would expose a small group")
    PUBLISHED = "published", _("Published")


class Refusal(models.TextChoices):
    """Why the release auditor refused a generation (nothing was stored)."""

    UNSAFE = (
        "unsafe",
        _(
            "Together with the tables already released, these tables would let someone work "
            "out a group of fewer than k people, and withholding more figures could not prevent "
            "it. Choose other breakdowns, another period or a larger k."
        ),
    )
    ALL_WITHHELD = (
        "all_withheld",
        _(
            "Together with the tables already released, these tables could only be released "
            "with every figure withheld. Choose other breakdowns, another period or a larger k."
        ),
    )


class PeriodBasis(models.TextChoices):
    OPENED = "opened", _("Cases opened in the period")
    SERVED = "served", _("Cases opened or with a session in the period")


class Measure(models.TextChoices):
    CLIENTS = "clients", _("Women (each counted once)")
    CASES = "cases", _("Cases")
    SESSIONS = "sessions", _("Sessions")
    CALLS = "calls", _("Hotline calls")
    REFERRALS = "referrals", _("Referrals")
    STAYS = "stays", _("Shelter stays")
    BED_NIGHTS = "bed_nights", _("Bed-nights")
    CHILDREN = "children", _("Accompanying children")


class StatisticsDataset(Progress, models.Model):
    # The model was first part of policy_monitor: its table keeps that name, and
    # audit events keep naming it as before, so that its history stays in one place.
    audit_object_type = "policy_monitor.statisticsdataset"

    title = models.CharField(_("title"), max_length=200)
    purpose = models.CharField(
        _("purpose"),
        max_length=300,
        blank=True,
        help_text=_('e.g. "CEDAW 10th report: shadow report annex"'),
    )
    # Whole months: the first day of the first month, the last day of the last.
    period_from = models.DateField(_("from (month)"))
    period_to = models.DateField(_("to (month)"))
    period_basis = models.CharField(
        _("cases counted"),
        max_length=10,
        choices=PeriodBasis.choices,
        default=PeriodBasis.SERVED,
    )
    # Empty: every branch.
    branches = models.ManyToManyField(
        "accounts.Branch", blank=True, related_name="+", verbose_name=_("branches")
    )
    dimensions = models.JSONField(
        _("broken down by"), default=list, validators=[ChoiceListValidator(list(DIMENSIONS))]
    )
    measures = models.JSONField(
        _("counts"), default=list, validators=[ChoiceListValidator(Measure.values)]
    )
    min_cell_size = models.PositiveSmallIntegerField(
        _("minimum cell size (k)"),
        default=DEFAULT_CELL_SIZE,
        validators=[MinValueValidator(MIN_CELL_SIZE)],
        help_text=_("Counts from 1 to k-1 are shown as <k."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DatasetStatus.choices, default=DatasetStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    generation_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when a worker claims the generation; a stale claim (a crashed worker)
    # is taken over by the next run.
    generation_started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # {"clients": {table}, "cases": {...}, "sessions": {...}}: aggregates only.
    tables = models.JSONField(default=dict, blank=True, editable=False)
    # Women (and their cases and sessions) left out: no consent to statistics in force.
    excluded_clients = models.PositiveIntegerField(default=0, editable=False)
    counted_clients = models.PositiveIntegerField(default=0, editable=False)
    # Set when the release auditor refused the last generation.
    refusal = models.CharField(
        _("refusal"), max_length=20, choices=Refusal.choices, blank=True, editable=False
    )

    class Meta:
        db_table = "policy_monitor_statisticsdataset"
        ordering = ["-created_at", "-id"]
        verbose_name = _("statistics dataset")
        verbose_name_plural = _("statistics datasets")
        indexes = [models.Index(fields=["status", "created_at"], name="dataset_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_cell_size__gte=MIN_CELL_SIZE),
                name="dataset_min_cell_size",
                violation_error_message=_("The minimum cell size cannot be below 3."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")),
                name="dataset_period_order",
                violation_error_message=_("The period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_from__day=1),
                name="dataset_period_whole_months",
                violation_error_message=_("The period starts on the first day of a month."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DatasetStatus.values),
                name="dataset_status_known",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        dimensions = self.dimensions or []
        if not 1 <= len(dimensions) <= MAX_DIMENSIONS:
            errors["dimensions"] = _("Choose one or two breakdowns.")
        elif len(set(dimensions)) != len(dimensions):
            errors["dimensions"] = _("Choose two different breakdowns.")
        if not self.measures:
            errors["measures"] = _("Choose at least one count.")
        elif "dimensions" not in errors and (
            problem := measure_dimension_problem(self.measures, dimensions)
        ):
            errors["measures"] = problem
        if self.period_from and self.period_from.day != 1:
            errors["period_from"] = _("The period starts on the first day of a month.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_published(self) -> bool:
        return self.status == DatasetStatus.PUBLISHED

    @property
    def has_tables(self) -> bool:
        return self.status in (DatasetStatus.GENERATED, DatasetStatus.PUBLISHED)

    @property
    def suppressed_label(self) -> str:
        return f"<{self.min_cell_size}"


class ReleaseChannel(models.TextChoices):
    PUBLISHED = "published", _("Published")
    CSV = "csv", _("CSV download")
    XLSX = "xlsx", _("XLSX download")
    DOCX = "docx", _("DOCX download")
    DATAPACKAGE = "datapackage", _("Data Package download")
    API = "api", _("Sent through the API")


class AppendOnlyError(Exception):
    """Released tables are out in the world: their record is never changed or removed."""


class ReleaseQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Releases cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Releases cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True


class Release(models.Model):
    """One table that left Hamkke: which count of which dataset, how, by whom,
    when, what it describes (period, basis, branches, breakdowns, k, codes) and
    its figures exactly as released. The release auditor reads every row.
    Append-only, like the audit trail (refused by the database on PostgreSQL)."""

    dataset = models.ForeignKey(StatisticsDataset, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(_("count"), max_length=10, choices=Measure.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=ReleaseChannel.choices)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), default=timezone.now)
    # {"period_from", "period_to", "period_basis", "branch_ids", "dimensions",
    #  "k", "row_codes", "column_codes"}
    definition = models.JSONField(_("definition"))
    figures = models.JSONField(_("figures"))
    # SHA-256 of the definition and figures: the same table released twice is one row.
    fingerprint = models.CharField(max_length=64)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["released_at", "id"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "measure", "fingerprint"], name="release_once"
            ),
            models.CheckConstraint(
                condition=models.Q(measure__in=Measure.values), name="release_measure_known"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=ReleaseChannel.values),
                name="release_channel_known",
            ),
        ]

    def __str__(self):
        return f"{self.dataset_id}/{self.measure} {self.channel} {self.released_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Releases cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Releases cannot be deleted.")
