"""Shadow-report drafts for a UN review: which recommendations and evidence
they gather (content.py), the Word file (document.py), and the runs on the
worker with their progress and cancel (jobs.py)."""

from policy_monitor.drafts.jobs import (
    CONTENT_TYPE,
    draft_cancel,
    draft_download_audit,
    draft_file,
    draft_request,
    draft_write,
)

__all__ = [
    "CONTENT_TYPE",
    "draft_cancel",
    "draft_download_audit",
    "draft_file",
    "draft_request",
    "draft_write",
]
