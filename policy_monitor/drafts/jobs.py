"""Requesting, writing and cancelling shadow-report drafts.

A request is refused when no earlier recommendation concerns migrant women
(no empty file) and, while a draft for the review is being written, gives
back that draft instead of a second one (the database holds one running
draft per review). The worker claims the draft with a conditional UPDATE,
reports its progress between steps and stores the file only if its claim
still holds and nobody asked it to stop: a cancelled run keeps nothing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import private_files, progress
from ngo.lib.celery_helpers import enqueue_on_commit
from ngo.lib.progress import Stage
from policy_monitor.drafts import content, document
from policy_monitor.models import Review
from policy_monitor.models.drafts import ACTIVE_STATUSES, DraftStatus, ShadowReportDraft

logger = logging.getLogger("policy_monitor.drafts")

TASK = "policy_monitor.write_shadow_report_draft"
# A run claimed longer ago than this was cut short (the worker died).
STALE_RUN = timedelta(minutes=15)
FILE_AREA = ShadowReportDraft.file_area
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _give_up_stale(review: Review) -> None:
    """Runs whose worker died long ago no longer block a new draft."""
    ShadowReportDraft.objects.filter(
        review=review, status=DraftStatus.RUNNING, started_at__lt=timezone.now() - STALE_RUN
    ).update(status=DraftStatus.FAILED, error="The worker stopped before the end.")


@transaction.atomic
def draft_request(*, actor: User, review: Review) -> tuple[ShadowReportDraft, bool]:
    """Queue a draft for `review`; (the draft, True) when new, (the running
    one, False) when a draft is already being written."""
    review = Review.objects.select_for_update().select_related("mechanism").get(pk=review.pk)
    _give_up_stale(review)
    running = ShadowReportDraft.objects.filter(review=review, status__in=ACTIVE_STATUSES).first()
    if running is not None:
        return running, False
    if not content.concerning_migrant_women(review).exists():
        raise ValidationError(
            _(
                "No earlier recommendation of %(mechanism)s concerns migrant women, so there "
                "is nothing to draft. Tag the recommendations with their affected persons or "
                "themes (e.g. Women and Migrants) first."
            )
            % {"mechanism": review.mechanism.code}
        )
    try:
        with transaction.atomic():
            draft = ShadowReportDraft.objects.create(review=review, requested_by=actor)
    except IntegrityError:  # another request won the race
        return ShadowReportDraft.objects.get(review=review, status__in=ACTIVE_STATUSES), False
    audit_record(action=AuditAction.CREATE, actor=actor, obj=draft, fields=["review"])
    enqueue_on_commit(TASK, args=[draft.pk])
    return draft, True


@transaction.atomic
def draft_cancel(*, actor: User, draft: ShadowReportDraft) -> ShadowReportDraft:
    """Stop a draft being written; nothing of it is kept. A draft no worker has
    started is cancelled at once, a running one at its next step."""
    if not draft.running:
        raise ValidationError(_("This draft is not being written any more."))
    progress.request_cancel(ShadowReportDraft, draft.pk)
    ShadowReportDraft.objects.filter(pk=draft.pk, status=DraftStatus.QUEUED).update(
        status=DraftStatus.CANCELLED, progress_stage=Stage.CANCELLED, finished_at=timezone.now()
    )
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=draft, fields=["status"], reason="cancel"
    )
    draft.refresh_from_db()
    return draft


def _claim(draft_id: int):
    now = timezone.now()
    claimed = (
        ShadowReportDraft.objects.filter(pk=draft_id, cancel_requested_at__isnull=True)
        .filter(
            Q(status=DraftStatus.QUEUED)
            | Q(status=DraftStatus.RUNNING, started_at__lt=now - STALE_RUN)
        )
        .update(status=DraftStatus.RUNNING, started_at=now)
    )
    return now if claimed else None


def _stop(draft_id: int, claimed_at, *, status: str, error: str = "") -> None:
    ShadowReportDraft.objects.filter(pk=draft_id, started_at=claimed_at).update(
        status=status,
        error=error,
        progress_stage=Stage.CANCELLED if status == DraftStatus.CANCELLED else Stage.WAITING,
        progress_percent=0,
        finished_at=timezone.now(),
    )


def draft_write(*, draft_id: int, after_step=None) -> str:
    """Gather the evidence and write the file. Safe to run twice: only a
    queued draft (or one whose worker died) is claimed. `after_step(stage)`
    is called after each progress report (a test cancels a run mid-way)."""
    claimed_at = _claim(draft_id)
    if claimed_at is None:
        return "skipped"
    draft = ShadowReportDraft.objects.select_related("review__mechanism", "requested_by").get(
        pk=draft_id
    )

    def report(stage: str, percent: int) -> None:
        progress.report(ShadowReportDraft, draft_id, stage=stage, percent=percent)
        if after_step is not None:
            after_step(stage)

    try:
        report(Stage.GATHERING, 5)
        with translation.override("en"):
            evidence = content.gather(
                draft.review,
                on=timezone.localdate(),
                step=lambda done, total: report(Stage.GATHERING, 5 + 45 * done // total),
            )
            report(Stage.WRITING, 55)
            written = document.write(evidence, step=lambda: report(Stage.WRITING, 75))
        report(Stage.WRITING, 95)
    except progress.Cancelled:
        _stop(draft_id, claimed_at, status=DraftStatus.CANCELLED)
        return "cancelled"
    except Exception:
        logger.exception("shadow-report draft %s could not be written", draft_id)
        _stop(
            draft_id, claimed_at, status=DraftStatus.FAILED, error="The draft could not be written."
        )
        return "failed"
    return _store(draft, claimed_at, evidence, written)


def _store(draft, claimed_at, evidence, written) -> str:
    review = draft.review
    name = f"shadow-report-{review.mechanism.code}-{review.state.code}-{evidence.on:%Y%m%d}.docx"
    with transaction.atomic(), private_files.stored(FILE_AREA, written.content) as storage_name:
        stored = ShadowReportDraft.objects.filter(
            pk=draft.pk,
            status=DraftStatus.RUNNING,
            started_at=claimed_at,
            cancel_requested_at__isnull=True,
        ).update(
            status=DraftStatus.DONE,
            file_name=name.lower(),
            file_storage_name=storage_name,
            file_size=len(written.content),
            word_count=written.words,
            word_limit=evidence.word_limit,
            recommendation_count=len(evidence.items),
            annex_count=written.annexes,
            progress_stage=Stage.DONE,
            progress_percent=100,
            finished_at=timezone.now(),
        )
        if not stored:
            private_files.delete(FILE_AREA, storage_name)
            _stop(draft.pk, claimed_at, status=DraftStatus.CANCELLED)
            return "cancelled"
        audit_record(
            action=AuditAction.UPDATE,
            actor=draft.requested_by,
            obj=draft,
            fields=["file", "word_count", "status"],
            reason="written",
        )
    return "done"


def draft_file(draft: ShadowReportDraft) -> bytes:
    return private_files.read(FILE_AREA, draft.file_storage_name)


@transaction.atomic
def draft_download_audit(*, actor: User, draft: ShadowReportDraft) -> None:
    audit_record(action=AuditAction.EXPORT, actor=actor, obj=draft, fields=["file"])
