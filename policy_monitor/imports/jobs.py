"""UHRI import jobs: the stored file, its import now or on the worker, the
progress while it runs and the report when it is done. The import is idempotent:
running a job twice, or the same file again, changes no record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import private_files
from ngo.lib.celery_helpers import enqueue_on_commit
from policy_monitor import uhri
from policy_monitor.imports.records import recommendation_import
from policy_monitor.models import ImportJob, ImportStatus

# Files up to this many rows are imported during the request; larger ones by the worker.
INLINE_IMPORT_ROWS = 300
MAX_IMPORT_BYTES = 50 * 1024 * 1024


@transaction.atomic
def import_job_create(*, actor: User, upload, run_inline: bool | None = None) -> ImportJob:
    """Store the file, check that it is a UHRI export (a ValidationError names
    the missing columns), then import it now (small files) or queue it."""
    name = (getattr(upload, "name", "") or "uhri.xlsx").rsplit("/", 1)[-1][:200]
    data = upload.read()
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file is larger than 50 MB.")})
    table = uhri.read_table(name, data)  # raises ValidationError
    with private_files.stored(ImportJob.file_area, data) as storage_name:
        job = ImportJob.objects.create(
            file_name=name,
            file_storage_name=storage_name,
            total_rows=len(table.rows),
            created_by=actor,
        )
    audit_record(action=AuditAction.CREATE, actor=actor, obj=job, fields=["file"])
    if run_inline is None:
        run_inline = len(table.rows) <= INLINE_IMPORT_ROWS
    if run_inline:
        import_job_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        enqueue_on_commit("policy_monitor.run_import_job", args=(job.pk,))
    return job


STALE_RUNNING = timezone.timedelta(minutes=30)


def _claim(job_id: int) -> bool:
    """Compare-and-swap: only one worker runs a job; a job left running by a
    worker that died is taken over after STALE_RUNNING."""
    now = timezone.now()
    return bool(
        ImportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ImportStatus.QUEUED)
            | Q(status=ImportStatus.RUNNING, started_at__lt=now - STALE_RUNNING)
        )
        .update(status=ImportStatus.RUNNING, started_at=now, processed_rows=0)
    )


def import_job_run(*, job_id: int) -> bool:
    """Run one import job (idempotent: a second call does nothing, and running
    the same file again changes no record). Returns whether it ran."""
    if not _claim(job_id):
        return False
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        data = job.read_file()
        table = uhri.read_table(job.file_name, data)

        def progress(done: int, counts: dict) -> None:
            ImportJob.objects.filter(pk=job_id).update(
                processed_rows=done,
                created_count=counts["created"],
                updated_count=counts["updated"],
                unchanged_count=counts["unchanged"],
                refused_count=counts["refused"],
            )

        report = recommendation_import(table=table, actor=job.created_by, progress=progress)
    except ValidationError as error:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, error=" ".join(error.messages), finished_at=timezone.now()
        )
        return True
    except Exception:
        # Say so on the page rather than show "running" for ever; the worker logs the cause.
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            error=_(
                "The import stopped on an unexpected error. Try again or tell an administrator."
            ),
            finished_at=timezone.now(),
        )
        raise
    counts = report["counts"]
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.DONE,
            processed_rows=F("total_rows"),
            created_count=counts["created"],
            updated_count=counts["updated"],
            unchanged_count=counts["unchanged"],
            refused_count=counts["refused"],
            report=report,
            finished_at=timezone.now(),
        )
        # One event for the job, summing it up (counts only: created/updated/
        # unchanged/refused); each record created or updated has its own event.
        audit_record(
            action=AuditAction.UPDATE,
            actor=job.created_by,
            object_type="policy_monitor.importjob",
            object_id=job_id,
            fields=[*(f"{outcome}_count" for outcome in counts), "report", "status"],
            reason="import_done:{created}/{updated}/{unchanged}/{refused}".format(**counts),
        )
    return True
