"""Whether a hotline note looks like it holds a phone number.

A hotline record must not identify the woman who called. The patterns: a
Korean mobile (010-1234-5678, 01012345678), a landline with its area code
(02-123-4567, 051 123 4567), an international +82 number, or any run of nine
or more digits joined by spaces, dashes, dots or brackets. A date
(2026-12-01) has eight digits and passes; a false alarm is confirmed away
by the staff (`confirm_no_identifier`)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

PHONE_PATTERNS = (
    re.compile(r"\+\s*82"),
    re.compile(r"(?<!\d)01[016789][\s.\-]?\d{3,4}[\s.\-]?\d{4}(?!\d)"),
    re.compile(r"(?<!\d)\(?0\d{1,2}\)?[\s.\-]?\d{3,4}[\s.\-]?\d{4}(?!\d)"),
    re.compile(r"(?<!\d)\d(?:[\s.\-()]{0,2}\d){8,}"),
)

PHONE_WARNING = _(
    "This looks like a phone number: a hotline record must not identify her. "
    "Remove it, or confirm that it identifies nobody."
)


def looks_like_phone_number(text: str | None) -> bool:
    text = text or ""
    return any(pattern.search(text) for pattern in PHONE_PATTERNS)
