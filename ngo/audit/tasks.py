"""Background audit work: the seals of the hash chain (ngo/audit/sealing.py)."""

from celery import shared_task

from ngo.audit import sealing


@shared_task(name="audit.seal", acks_late=True)
def seal() -> int:
    """Seal the final events not sealed yet (every minute, from beat); returns how
    many seals were appended. Safe to run twice or at the same time."""
    return len(sealing.audit_seal())
