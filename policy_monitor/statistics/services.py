"""Every write on shadow-report datasets, and their generation.

Generation counts the case files of the chosen branches and period in SQL,
one GROUP BY a measure (policy_monitor.statistics.counting: the residence
status is grouped by its blind index, never decrypted), and keeps only the
suppressed tables.

Who is counted: women whose newest decision for the "statistics" consent
purpose is a yes at the time of generation (the same rule as
counselling.services.consent_in_force). The others, with their cases and
sessions, are left out; only their number is kept.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.accounts.models import Branch, User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.celery_helpers import enqueue_on_commit
from policy_monitor.statistics import counting, exports, tabulation
from policy_monitor.statistics.models import DatasetStatus, Measure, PeriodBasis, StatisticsDataset
from policy_monitor.statistics.suppression import published

logger = logging.getLogger("policy_monitor.statistics")

# A generation claimed longer ago than this was cut short (the worker died);
# the next run takes it over.
STALE_CLAIM = timedelta(minutes=15)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _in_catalogue_order(values: list, catalogue: list) -> list:
    """Known values in the catalogue's order; anything else is left for
    validation to refuse."""
    if set(values) <= set(catalogue) and len(set(values)) == len(values):
        return [value for value in catalogue if value in values]
    return values


@transaction.atomic
def dataset_create(
    *,
    actor: User,
    title: str,
    period_from: date,
    period_to: date,
    dimensions: list[str],
    measures: list[str],
    purpose: str = "",
    period_basis: str = PeriodBasis.SERVED,
    branches: Iterable[Branch] = (),
    min_cell_size: int = tabulation.DEFAULT_CELL_SIZE,
    generate: bool = True,
) -> StatisticsDataset:
    """Define a dataset (whole months) and, unless told not to, queue its generation."""
    dataset = StatisticsDataset(
        title=(title or "").strip(),
        purpose=(purpose or "").strip(),
        period_from=month_start(period_from) if period_from else None,
        period_to=month_end(period_to) if period_to else None,
        period_basis=period_basis,
        dimensions=list(dimensions or []),
        measures=_in_catalogue_order(list(measures or []), Measure.values),
        min_cell_size=min_cell_size,
        created_by=actor,
    )
    dataset.full_clean()
    dataset.save()
    dataset.branches.set(list(branches))
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=dataset,
        fields=[
            "title",
            "purpose",
            "period_from",
            "period_to",
            "period_basis",
            "branches",
            "dimensions",
            "measures",
            "min_cell_size",
        ],
    )
    if generate:
        dataset_request_generation(actor=actor, dataset=dataset)
    return dataset


@transaction.atomic
def dataset_request_generation(*, actor: User, dataset: StatisticsDataset) -> StatisticsDataset:
    """Queue a (re)generation from the current case files. The web request
    returns at once; a worker does the counting."""
    dataset = StatisticsDataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.status == DatasetStatus.PUBLISHED:
        raise ValidationError(_("A published dataset is frozen: create a new one instead."))
    dataset.status = DatasetStatus.QUEUED
    dataset.generation_requested_by = actor
    dataset.generation_started_at = None
    dataset.tables = {}
    dataset.save(
        update_fields=["status", "generation_requested_by", "generation_started_at", "tables"]
    )
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=dataset, fields=["status"], reason="generate"
    )
    enqueue_on_commit("policy_monitor.generate_dataset", args=[dataset.pk])
    return dataset


def _claim(dataset_id: int) -> datetime | None:
    """Take the generation with a compare-and-swap UPDATE; None if someone
    else holds it or there is nothing to do."""
    now = timezone.now()
    claimed = (
        StatisticsDataset.objects.filter(pk=dataset_id, status=DatasetStatus.QUEUED)
        .filter(
            Q(generation_started_at__isnull=True) | Q(generation_started_at__lt=now - STALE_CLAIM)
        )
        .update(generation_started_at=now)
    )
    return now if claimed else None


def dataset_generate(*, dataset_id: int) -> str:
    """Count, suppress and store. Safe to run twice: only a queued dataset is
    claimed, and the result is stored only if the claim still holds."""
    claimed_at = _claim(dataset_id)
    if claimed_at is None:
        return "skipped"
    dataset = StatisticsDataset.objects.get(pk=dataset_id)
    try:
        tables, counted, excluded = compute_tables(dataset)
    except Exception:
        logger.exception("statistics dataset %s could not be generated", dataset_id)
        with transaction.atomic():
            failed = StatisticsDataset.objects.filter(
                pk=dataset_id, status=DatasetStatus.QUEUED, generation_started_at=claimed_at
            ).update(status=DatasetStatus.FAILED, generation_started_at=None)
            if failed:
                audit_record(
                    action=AuditAction.UPDATE,
                    actor=dataset.generation_requested_by,
                    obj=dataset,
                    fields=["status"],
                    reason="generation_failed",
                )
        return "failed"
    with transaction.atomic():
        stored = StatisticsDataset.objects.filter(
            pk=dataset_id, status=DatasetStatus.QUEUED, generation_started_at=claimed_at
        ).update(
            status=DatasetStatus.GENERATED,
            tables=tables,
            counted_clients=counted,
            excluded_clients=excluded,
            generated_at=timezone.now(),
            generation_started_at=None,
        )
        if not stored:
            return "skipped"
        audit_record(
            action=AuditAction.UPDATE,
            actor=dataset.generation_requested_by,
            obj=dataset,
            fields=["tables", "status", "counted_clients", "excluded_clients"],
            reason="generated",
        )
    return "generated"


def datasets_waiting() -> list[int]:
    """Queued datasets nobody is working on (the broker was down, a worker died)."""
    now = timezone.now()
    return list(
        StatisticsDataset.objects.filter(status=DatasetStatus.QUEUED)
        .filter(
            Q(generation_started_at__isnull=True) | Q(generation_started_at__lt=now - STALE_CLAIM)
        )
        .values_list("pk", flat=True)
    )


@transaction.atomic
def dataset_publish(*, actor: User, dataset: StatisticsDataset) -> StatisticsDataset:
    """Approve the generated tables for use in a submission; they are frozen from then on."""
    dataset = StatisticsDataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.status != DatasetStatus.GENERATED:
        raise ValidationError(_("Only a generated dataset can be published."))
    dataset.status = DatasetStatus.PUBLISHED
    dataset.published_at = timezone.now()
    dataset.published_by = actor
    dataset.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=dataset,
        fields=["status", "published_at", "published_by"],
        reason="publish",
    )
    return dataset


@transaction.atomic
def dataset_export(*, actor: User, dataset: StatisticsDataset, file_format: str):
    """The tables as a CSV, XLSX or DOCX file; audited as an export (format and
    dataset only: the file holds aggregates and the audit holds no figures)."""
    if file_format not in exports.FORMATS:
        raise ValidationError(_("Choose CSV, XLSX or DOCX."))
    if not dataset.has_tables:
        raise ValidationError(_("The dataset has no tables yet: generate it first."))
    exported = exports.render(dataset, file_format)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=dataset,
        fields=["tables"],
        reason=file_format,
    )
    return exported


# --- Counting ------------------------------------------------------------------------------


def compute_tables(
    dataset: StatisticsDataset, *, on_progress: Callable[[int], None] | None = None
) -> tuple[dict, int, int]:
    """Count in SQL (counting.count_dataset), then withhold the small cells."""
    counted = counting.count_dataset(dataset, on_progress=on_progress)
    tables = {
        measure: published(table, dataset.min_cell_size)
        for measure, table in counted.tables.items()
    }
    return tables, counted.counted, counted.excluded
