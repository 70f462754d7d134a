"""Words for the codes the services leave in a timeline line's `label`.

A service stores short, non-identifying codes (`active->closed`, `hospital:sent`,
`shelter:admitted`); the case page shows them in the reader's language. An app
that writes lines of its own with a `prefix:` code registers how to read them,
from its AppConfig.ready(), so counselling never imports it:

    from counselling import timeline_labels

    def _stay_label(parts: list[str]) -> str:   # "shelter:discharged:home" -> [...]
        ...

    timeline_labels.register("shelter", _stay_label)

A code nobody can read is not shown at all: a reader never sees `a:b`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# `prefix:part[:part]` or `before->after`, as the services write them.
_CODE = re.compile(r"^[a-z0-9_]+(?::[a-z0-9_]*)+$|^[a-z0-9_]*->[a-z0-9_]*$")

_READERS: dict[str, Callable[[list[str]], str]] = {}


def register(prefix: str, reader: Callable[[list[str]], str]) -> None:
    """`reader` gets the code split on ':' (prefix first) and returns the words."""
    _READERS[prefix] = reader


def is_code(words: str) -> bool:
    """Whether `words` is still a service's code rather than words."""
    return bool(_CODE.match(words))


def read(label: str) -> str | None:
    """The words for a registered `prefix:...` code; None if no app reads it."""
    parts = label.split(":")
    reader = _READERS.get(parts[0])
    if reader is None:
        return None
    return str(reader(parts))
