"""Importing UHRI exports: the import job (stored file, progress, report) in
jobs.py; the rows read into values (rows.py) and written as recommendations a
chunk at a time (records.py). Parsing the file is policy_monitor/uhri.py's."""

from policy_monitor.imports.jobs import (
    INLINE_IMPORT_ROWS,
    MAX_IMPORT_BYTES,
    STALE_RUNNING,
    import_job_create,
    import_job_run,
)
from policy_monitor.imports.jobs import _claim as _claim
from policy_monitor.imports.records import CHUNK_ROWS, recommendation_import
from policy_monitor.imports.rows import IMPORT_FIELDS

__all__ = [
    "CHUNK_ROWS",
    "IMPORT_FIELDS",
    "INLINE_IMPORT_ROWS",
    "MAX_IMPORT_BYTES",
    "STALE_RUNNING",
    "import_job_create",
    "import_job_run",
    "recommendation_import",
]
