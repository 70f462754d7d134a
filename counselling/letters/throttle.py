"""Limits on verification attempts, per client address and per letter number,
counted in the Django cache (Redis in production): a fixed window opened by the
first attempt. A cache that does not answer refuses verification rather than
letting attempts through uncounted."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from ngo.lib.cache import CACHE_ERRORS


class Limited(Exception):
    """Too many attempts; `minutes` until the window ends at the latest."""

    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


class Unavailable(Exception):
    """The cache that counts attempts does not answer."""


def _bump(key: str, minutes: int) -> int:
    cache.add(key, 0, timeout=minutes * 60)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=minutes * 60)
        return 1


def count_attempt(*, ip: str | None, number: str) -> None:
    """Count one attempt; Limited if it is over either limit."""
    hashed = hashlib.sha256(number.encode()).hexdigest()[:32]
    limits = [
        (
            f"letters:verify:ip:{ip or '-'}",
            settings.LETTER_VERIFY_IP_LIMIT,
            settings.LETTER_VERIFY_IP_MINUTES,
        ),
        (
            f"letters:verify:number:{hashed}",
            settings.LETTER_VERIFY_NUMBER_LIMIT,
            settings.LETTER_VERIFY_NUMBER_MINUTES,
        ),
    ]
    try:
        counts = [(_bump(key, minutes), limit, minutes) for key, limit, minutes in limits]
    except CACHE_ERRORS as exc:
        raise Unavailable from exc
    over = [minutes for count, limit, minutes in counts if count > limit]
    if over:
        raise Limited(max(over))
