"""The hash chain over the audit trail: seals, and their verification.

Events are written in the request's transaction, many at once, so they are not
chained as they are written (that would take one lock for every request).
Instead `audit_seal()`, run every minute by beat, appends AuditSeal rows: each
covers the next range of event ids, first_event_id..last_event_id, with the
SHA-256 (HMAC-SHA-256 when AUDIT_SEAL_KEY is set) of its own header, the digest
of the seal before it and the canonical content of every event in the range.
`audit_verify()` recomputes the chain: a changed, deleted or inserted event in a
sealed range, and a changed, deleted or inserted seal, all break it.

Which ids may be sealed: ids are taken when a row is inserted, not when its
transaction commits, so event 101 may be visible while 100 is still to come from
a request that has not committed. Sealing only events older than a few seconds
would mis-seal the events of any transaction longer than that (an import, an
export) and raise a false alarm later. So each seal records a watermark, the
highest event id visible and the database clock at that instant; every id up to
the watermark belongs to a transaction that had begun by then. A later run seals
up to that watermark once no transaction that began before it is still open
(pg_stat_activity). The sealer sees the transactions of its own role, i.e. of
every application process. On SQLite the sealer holds the only write lock, so
all events up to the newest are final.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.audit.models import AuditEvent, AuditSeal

logger = logging.getLogger("ngo.audit")

# At most this many events in one seal (one transaction, one pass over the rows).
SEAL_BATCH = 5000
CANONICAL_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "branch_id",
    "fields",
    "reason",
    "ip",
    "request_id",
)


def key_id_of(key: bytes) -> str:
    """A short public name of a seal key (it reveals nothing of the key)."""
    return hashlib.sha256(b"hamkke-audit-seal:" + key).hexdigest()[:16]


def _keys() -> dict[str, bytes]:
    return {key_id_of(key): key for key in settings.AUDIT_SEAL_KEYS}


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _canonical(row: tuple) -> bytes:
    values = dict(zip(CANONICAL_FIELDS, row, strict=True))
    values["occurred_at"] = _instant(values["occurred_at"])
    return json.dumps(list(values.values()), separators=(",", ":"), sort_keys=True).encode()


def _events(first: int, last: int):
    rows = AuditEvent.objects.filter(id__gte=first, id__lte=last).order_by("id")
    return rows.values_list(*CANONICAL_FIELDS).iterator(chunk_size=2000)


def _digest(seal: AuditSeal, *, previous: str, key: bytes | None) -> tuple[int, str]:
    """(events counted, digest) of `seal`'s range as it is in the database now."""
    header = [
        previous,
        seal.number,
        seal.first_event_id,
        seal.last_event_id,
        seal.watermark_event_id,
        _instant(seal.watermark_at),
        _instant(seal.sealed_at),
        seal.key_id,
    ]
    lines = [_canonical(row) for row in _events(seal.first_event_id, seal.last_event_id)]
    header.append(len(lines))
    hasher = hmac.new(key, digestmod=hashlib.sha256) if key else hashlib.sha256()
    hasher.update(json.dumps(header, separators=(",", ":")).encode() + b"\n")
    for line in lines:
        hasher.update(line + b"\n")
    return len(lines), hasher.hexdigest()


# --- Sealing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Watermark:
    event_id: int
    at: datetime


def _watermark_now() -> Watermark:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(max(id), 0), clock_timestamp() FROM audit_auditevent")
            event_id, at = cursor.fetchone()
        return Watermark(event_id, at)
    return Watermark(
        AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0, timezone.now()
    )


def _settled(mark: Watermark) -> bool:
    """True when no transaction that may still commit an id up to `mark` is open."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend' AND xact_start <= %s)",
            [mark.at],
        )
        return cursor.fetchone()[0]


def _seal_next(previous, *, boundary: Watermark, carried: Watermark) -> AuditSeal | None:
    """Append the seal after `previous` covering events up to `boundary.event_id`
    (SEAL_BATCH at most); None if there is nothing to seal or another sealer did."""
    first = previous.last_event_id + 1 if previous else 1
    if first > boundary.event_id:
        return None
    ids = AuditEvent.objects.filter(id__gte=first, id__lte=boundary.event_id).order_by("id")
    batch = list(ids.values_list("id", flat=True)[:SEAL_BATCH])
    last = batch[-1] if len(batch) == SEAL_BATCH else boundary.event_id
    mark = carried if last == boundary.event_id else boundary
    return _append(previous, first=first, last=last, mark=mark)


def _append(previous, *, first: int, last: int, mark: Watermark) -> AuditSeal | None:
    key = settings.AUDIT_SEAL_KEYS[0] if settings.AUDIT_SEAL_KEYS else None
    seal = AuditSeal(
        number=previous.number + 1 if previous else 1,
        sealed_at=timezone.now(),
        first_event_id=first,
        last_event_id=last,
        watermark_event_id=mark.event_id,
        watermark_at=mark.at,
        key_id=key_id_of(key) if key else "",
    )
    seal.event_count, seal.digest = _digest(
        seal, previous=previous.digest if previous else "", key=key
    )
    try:
        with transaction.atomic():
            seal.save()
    except IntegrityError:  # another sealer appended this number first
        return None
    logger.info(
        "audit seal #%s events %s-%s (%s) digest %s",
        seal.number,
        first,
        last,
        seal.event_count,
        seal.digest,
    )
    return seal


def audit_seal(*, max_seals: int = 200) -> list[AuditSeal]:
    """Seal the events that are final and not sealed yet; returns the new seals.
    Idempotent, and safe to run concurrently (a seal number is taken once)."""
    fresh = _watermark_now()
    previous = AuditSeal.objects.order_by("-number").first()
    sealed_to = previous.last_event_id if previous else 0
    stored = Watermark(previous.watermark_event_id, previous.watermark_at) if previous else None
    if _settled(fresh):
        boundary = fresh
    elif stored and stored.event_id > sealed_to and _settled(stored):
        boundary = stored
    else:
        boundary = None
    made = []
    while boundary and len(made) < max_seals:
        with transaction.atomic():
            seal = _seal_next(previous, boundary=boundary, carried=fresh)
        if seal is None:
            break
        made.append(seal)
        previous = seal
    waiting_on = stored.event_id if stored else 0
    if not made and fresh.event_id > max(waiting_on, sealed_to) and waiting_on <= sealed_to:
        # Nothing final yet: an empty seal records the watermark the next run waits for.
        seal = _append(previous, first=sealed_to + 1, last=sealed_to, mark=fresh)
        made += [seal] if seal else []
    return made


# --- Verification --------------------------------------------------------------------------


@dataclass
class Verification:
    seals: int = 0
    events: int = 0
    unsealed: int = 0
    head: AuditSeal | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _key_problem(seal: AuditSeal, keys: dict, unkeyed_up_to: int) -> str:
    if seal.key_id and seal.key_id not in keys:
        return _(
            "Seal #%(number)s was made with key %(key)s, which AUDIT_SEAL_KEY does not hold."
        ) % {
            "number": seal.number,
            "key": seal.key_id,
        }
    if not seal.key_id and keys and seal.number > unkeyed_up_to:
        return _("Seal #%(number)s has no key although AUDIT_SEAL_KEY is set.") % {
            "number": seal.number
        }
    return ""


def _range_problem(seal: AuditSeal, counted: int) -> str:
    values = {
        "number": seal.number,
        "first": seal.first_event_id,
        "last": seal.last_event_id,
        "count": abs(counted - seal.event_count),
    }
    if counted < seal.event_count:
        return (
            _(
                "Seal #%(number)s (events %(first)s-%(last)s): %(count)s event(s) deleted, "
                "or the seal was altered."
            )
            % values
        )
    if counted > seal.event_count:
        return (
            _(
                "Seal #%(number)s (events %(first)s-%(last)s): %(count)s event(s) inserted, "
                "or the seal was altered."
            )
            % values
        )
    return (
        _(
            "Seal #%(number)s (events %(first)s-%(last)s): an event was changed, "
            "or the seal was altered."
        )
        % values
    )


def _check_seal(seal, *, previous_digest, expected_number, expected_first, keys, unkeyed_up_to):
    problems = []
    if seal.number != expected_number:
        problems.append(
            _("Seal #%(number)s follows seal #%(previous)s: seals are missing or inserted.")
            % {"number": seal.number, "previous": expected_number - 1}
        )
    if seal.first_event_id != expected_first:
        problems.append(
            _(
                "Seal #%(number)s does not start where the seal before it ended "
                "(event %(expected)s)."
            )
            % {"number": seal.number, "expected": expected_first}
        )
    key_problem = _key_problem(seal, keys, unkeyed_up_to)
    if key_problem:
        return problems + [key_problem], seal.event_count
    counted, digest = _digest(seal, previous=previous_digest, key=keys.get(seal.key_id))
    if counted != seal.event_count or not hmac.compare_digest(digest, seal.digest):
        problems.append(_range_problem(seal, counted))
    return problems, counted


def audit_verify(*, anchors: dict[int, str] | None = None, unkeyed_up_to: int = 0) -> Verification:
    """Recompute the whole chain. `anchors` are {seal number: digest} pairs copied
    from outside the database (the sealer's log): they catch the newest seals
    being removed and the chain rebuilt from there."""
    anchors = dict(anchors or {})
    keys = _keys()
    result = Verification()
    previous_digest, expected_number, expected_first = "", 1, 1
    for seal in AuditSeal.objects.order_by("number").iterator(chunk_size=200):
        problems, counted = _check_seal(
            seal,
            previous_digest=previous_digest,
            expected_number=expected_number,
            expected_first=expected_first,
            keys=keys,
            unkeyed_up_to=unkeyed_up_to,
        )
        anchor = anchors.pop(seal.number, None)
        if anchor is not None and not hmac.compare_digest(anchor, seal.digest):
            problems.append(
                _("Seal #%(number)s does not match the digest recorded outside the database.")
                % {"number": seal.number}
            )
        result.problems += problems
        result.seals += 1
        result.events += counted
        result.head = seal
        previous_digest = seal.digest
        expected_number, expected_first = seal.number + 1, seal.last_event_id + 1
    for number in sorted(anchors):
        result.problems.append(
            _("Seal #%(number)s, recorded outside the database, is missing.") % {"number": number}
        )
    below = AuditEvent.objects.filter(id__lt=1).count()
    if below:
        result.problems.append(
            _("%(count)s event(s) have ids below the first seal.") % {"count": below}
        )
    result.unsealed = AuditEvent.objects.filter(id__gte=expected_first).count()
    return result
