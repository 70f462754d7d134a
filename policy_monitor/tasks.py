"""Background policy work. Tasks take IDs, claim their work with a conditional
UPDATE (imports._claim, drafts.jobs._claim) and are safe to run twice."""

from celery import shared_task

from policy_monitor import drafts, imports


@shared_task(name="policy_monitor.run_import_job", acks_late=True)
def run_import_job(job_id: int) -> bool:
    """Import one stored UHRI file; False if another worker has it or it is done."""
    return imports.import_job_run(job_id=job_id)


@shared_task(name="policy_monitor.write_shadow_report_draft", acks_late=True)
def write_shadow_report_draft(draft_id: int) -> str:
    """Write one shadow-report draft: "done", "cancelled", "failed" or "skipped"."""
    return drafts.draft_write(draft_id=draft_id)
