"""The scrubbers: what each app destroys of one woman.

Destruction calls every registered scrubber, in the order registered, inside
one transaction per client. A scrubber blanks (or deletes) the personal data
its app holds about her and returns how many rows of what it touched (a dict
of model labels, or one number); it keeps
the non-identifying columns that counts and statistics read. An app with
records of a client registers one, in counselling/retention/scrubbers.py:

    from counselling.letters.services import scrub_letters_for_client

    register_scrubber("letters", scrub_letters_for_client)

where

    def scrub_letters_for_client(client) -> dict[str, int]:
        letters = Letter.objects.filter(client=client)
        count = letters.update(body="", recipient_name="", file_name="")
        ...  # delete the PDF files (ngo.lib.private_files.delete), on commit
        return {"letters.Letter": count}

The key is the app label: every model of that app with a foreign-key path to
the Client is taken as covered by it (tests/test_retention_registry.py checks
that each such model of every installed app is covered, or named in
NOT_PERSONAL with the reason).

A scrubber may also destroy one case of hers while she stays (her other case
is still open): pass `case_fn(case)`; without one, the app's records are
destroyed with the client only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

Counts = dict[str, int]


@dataclass(frozen=True)
class Scrubber:
    key: str
    fn: Callable[..., Counts]
    case_fn: Callable[..., Counts] | None = None


_SCRUBBERS: dict[str, Scrubber] = {}

# Models with a foreign-key path to the Client that hold nothing personal, and why.
NOT_PERSONAL = {
    "retention.DestructionStub": "ids and a moment: the mark of what was destroyed",
    "retention.DestructionItem": "its exclusion reason is blanked by the retention scrubber",
    "retention.LegalHold": "its reason is blanked by the retention scrubber",
}


def register_scrubber(key: str, fn: Callable[..., Counts], *, case_fn=None) -> None:
    """Register the scrubber of the app labelled `key` (once)."""
    if key in _SCRUBBERS and _SCRUBBERS[key].fn is not fn:
        raise ImproperlyConfigured(f"The scrubber {key} is already registered.")
    _SCRUBBERS[key] = Scrubber(key=key, fn=fn, case_fn=case_fn)


def scrubbers() -> list[Scrubber]:
    return list(_SCRUBBERS.values())


def covered_apps() -> set[str]:
    return set(_SCRUBBERS)


def counted(scrubber: Scrubber, result) -> Counts:
    """A scrubber's answer as counts: a dict of {model label: rows}, or a bare
    number of rows, counted under the app's key."""
    if isinstance(result, int) and not isinstance(result, bool):
        return {scrubber.key: result}
    return dict(result or {})


def add_counts(total: Counts, more: Counts) -> Counts:
    for label, count in (more or {}).items():
        if count:
            total[label] = total.get(label, 0) + count
    return total


# --- Encrypted files: deleted from disk once the destruction has committed ----------------

_pending_files: ContextVar[list | None] = ContextVar("retention_pending_files", default=None)


def schedule_file_deletion(area: str, storage_name: str) -> None:
    """Have the file of a scrubbed record deleted from disk once the client's
    destruction commits (never before: a rollback keeps the record whole).
    The names wait on the destruction stub until the files are gone, so a
    crash in between is caught up by the next run."""
    pending = _pending_files.get()
    if pending is None:
        raise ImproperlyConfigured("schedule_file_deletion is called by a scrubber only.")
    if storage_name:
        pending.append([area, storage_name])


@contextmanager
def collecting_files() -> Iterator[list]:
    pending: list = []
    token = _pending_files.set(pending)
    try:
        yield pending
    finally:
        _pending_files.reset(token)
