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
from ngo.lib import progress
from ngo.lib.celery_helpers import enqueue_on_commit
from ngo.lib.progress import Cancelled, Stage
from policy_monitor.statistics import counting, exports, ledger, marks, preview, tabulation
from policy_monitor.statistics.models import (
    DatasetStatus,
    Measure,
    PeriodBasis,
    ReleaseChannel,
    StatisticsDataset,
)

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
    """Define a dataset (whole months) and, unless told not to, queue its generation.
    A period after the current month or before the centre's records is refused,
    and so (when generating) is a scope with too few consenting women."""
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
    if problems := preview.period_problems(dataset.period_from, dataset.period_to):
        raise ValidationError(problems)
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
    returns at once; a worker does the counting. Refused (nothing queued) when
    the scope holds no consenting woman or fewer than k (preview.py)."""
    dataset = StatisticsDataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.status == DatasetStatus.PUBLISHED:
        raise ValidationError(_("A published dataset is frozen: create a new one instead."))
    scope = preview.Scope(
        period_from=dataset.period_from,
        period_to=dataset.period_to,
        period_basis=dataset.period_basis,
        branch_ids=list(dataset.branches.values_list("pk", flat=True)),
        measures=list(dataset.measures),
        min_cell_size=dataset.min_cell_size,
    )
    if problems := preview.scope_problems(scope):
        raise ValidationError(problems)
    dataset.status = DatasetStatus.QUEUED
    dataset.generation_requested_by = actor
    dataset.generation_started_at = None
    dataset.tables = {}
    dataset.progress_stage = Stage.WAITING
    dataset.progress_percent = 0
    dataset.cancel_requested_at = None
    dataset.save(
        update_fields=[
            "status",
            "generation_requested_by",
            "generation_started_at",
            "tables",
            "progress_stage",
            "progress_percent",
            "cancel_requested_at",
        ]
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


class NothingToCancel(Exception):
    """A cancel for a dataset that is not being generated."""


def dataset_generate(*, dataset_id: int) -> str:
    """Count, suppress, check and store, reporting each stage (ngo.lib.progress).
    Safe to run twice: only a queued dataset is claimed, and the result is
    stored only if the claim still holds and nobody asked to cancel. A cancel
    stops the run at its next report; nothing is stored and the dataset goes
    back to draft."""
    claimed_at = _claim(dataset_id)
    if claimed_at is None:
        return "skipped"
    dataset = StatisticsDataset.objects.get(pk=dataset_id)

    def report(stage: str, percent: float) -> None:
        progress.report(StatisticsDataset, dataset_id, stage=stage, percent=percent)

    try:
        report(Stage.COUNTING, 0)
        tables, counted, excluded = compute_tables(
            dataset,
            on_progress=lambda percent: report(Stage.COUNTING, percent * 0.6),
            on_stage=report,
        )
        if problems := marks.released_problems(tables, dataset.min_cell_size):
            raise ValueError(f"unprotected figures: {', '.join(problems)}")
        report(Stage.WRITING, 95)
    except Cancelled:
        return _generation_cancelled(dataset, claimed_at)
    except ledger.ReleaseRefused as refused:
        return _refuse(dataset, claimed_at, refused.refusal)
    except Exception:
        logger.exception("statistics dataset %s could not be generated", dataset_id)
        with transaction.atomic():
            failed = StatisticsDataset.objects.filter(
                pk=dataset_id, status=DatasetStatus.QUEUED, generation_started_at=claimed_at
            ).update(
                status=DatasetStatus.FAILED,
                generation_started_at=None,
                progress_stage=Stage.WAITING,
                progress_percent=0,
            )
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
            pk=dataset_id,
            status=DatasetStatus.QUEUED,
            generation_started_at=claimed_at,
            cancel_requested_at__isnull=True,
        ).update(
            status=DatasetStatus.GENERATED,
            tables=tables,
            refusal="",
            counted_clients=counted,
            excluded_clients=excluded,
            generated_at=timezone.now(),
            generation_started_at=None,
            progress_stage=Stage.DONE,
            progress_percent=100,
        )
        if not stored:
            if progress.cancel_requested(StatisticsDataset, dataset_id):
                return _generation_cancelled(dataset, claimed_at)
            return "skipped"
        audit_record(
            action=AuditAction.UPDATE,
            actor=dataset.generation_requested_by,
            obj=dataset,
            fields=["tables", "status", "counted_clients", "excluded_clients"],
            reason="generated",
        )
    return "generated"


@transaction.atomic
def _generation_cancelled(dataset: StatisticsDataset, claimed_at: datetime) -> str:
    """The worker stopped on a cancel: back to draft, nothing stored."""
    stopped = StatisticsDataset.objects.filter(
        pk=dataset.pk, status=DatasetStatus.QUEUED, generation_started_at=claimed_at
    ).update(
        status=DatasetStatus.DRAFT,
        generation_started_at=None,
        tables={},
        progress_stage=Stage.CANCELLED,
        progress_percent=0,
    )
    if not stopped:
        return "skipped"
    audit_record(
        action=AuditAction.UPDATE,
        actor=dataset.generation_requested_by,
        obj=dataset,
        fields=["status"],
        reason="generation_cancelled",
    )
    return "cancelled"


@transaction.atomic
def dataset_cancel_generation(*, actor: User, dataset: StatisticsDataset) -> StatisticsDataset:
    """Ask the worker to stop. A generation no worker has claimed yet goes back
    to draft at once; a running one stops at its next report. NothingToCancel
    when the dataset is not being generated (a cancel after it finished
    changes nothing)."""
    dataset = StatisticsDataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.status != DatasetStatus.QUEUED or dataset.cancel_requested_at is not None:
        raise NothingToCancel(_("Nothing is being generated: there is nothing to cancel."))
    if dataset.generation_started_at is None:
        StatisticsDataset.objects.filter(pk=dataset.pk).update(
            status=DatasetStatus.DRAFT,
            tables={},
            progress_stage=Stage.CANCELLED,
            progress_percent=0,
            cancel_requested_at=timezone.now(),
        )
    else:
        progress.request_cancel(StatisticsDataset, dataset.pk)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=dataset,
        fields=["status"],
        reason="cancel_generation",
    )
    dataset.refresh_from_db()
    return dataset


def _refuse(dataset: StatisticsDataset, claimed_at: datetime, refusal: str) -> str:
    """The auditor refused the tables: store none of them, say why."""
    with transaction.atomic():
        refused = StatisticsDataset.objects.filter(
            pk=dataset.pk, status=DatasetStatus.QUEUED, generation_started_at=claimed_at
        ).update(
            status=DatasetStatus.REFUSED, refusal=refusal, tables={}, generation_started_at=None
        )
        if not refused:
            return "skipped"
        audit_record(
            action=AuditAction.UPDATE,
            actor=dataset.generation_requested_by,
            obj=dataset,
            fields=["status", "refusal"],
            reason="release_refused",
        )
    return "refused"


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
    ledger.dataset_release(
        actor=actor, dataset=dataset, channel=ReleaseChannel.PUBLISHED, cells=unit_cells
    )
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
    """The tables as a CSV, XLSX or DOCX file or a Data Package (.zip); audited
    as an export (format and dataset only: the file holds aggregates and the
    audit holds no figures)."""
    if file_format not in exports.FORMATS:
        raise ValidationError(_("Choose CSV, XLSX, DOCX or Data Package."))
    if not dataset.has_tables:
        raise ValidationError(_("The dataset has no tables yet: generate it first."))
    ledger.dataset_release(actor=actor, dataset=dataset, channel=file_format, cells=unit_cells)
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
    dataset: StatisticsDataset,
    *,
    on_progress: Callable[[int], None] | None = None,
    on_stage: Callable[[str, float], None] | None = None,
) -> tuple[dict, int, int]:
    """Count in SQL (counting.count_dataset), then protect the tables together
    and check them against everything released (ledger.protect_and_audit).
    `on_progress(percent)` follows the counting, `on_stage(stage, percent)` the rest."""
    counted = counting.count_dataset(dataset, on_progress=on_progress)
    if on_stage is not None:
        on_stage(Stage.PROTECTING, 60)
    tables = ledger.protect_and_audit(dataset, counted, cells=unit_cells, on_stage=on_stage)
    return tables, counted.counted, counted.excluded


def unit_cells(definition: dict, measure: str):
    """(unit key, row codes, column codes) of every unit a released table
    counts, recounted from the current case files: what the release auditor
    models. Keys read "client:12", "session:345"."""
    for (kind, pk), rows, columns in counting.unit_cells(
        counting.Definition.of_release(definition), measure
    ):
        yield f"{kind}:{pk}", rows, columns


def dataset_send(*, actor: User, dataset: StatisticsDataset) -> StatisticsDataset:
    """The dataset's tables are about to be sent through the API: recorded in
    the release ledger (and audited again if they were never released)."""
    if dataset.has_tables:
        ledger.dataset_release(
            actor=actor, dataset=dataset, channel=ReleaseChannel.API, cells=unit_cells
        )
    return dataset
