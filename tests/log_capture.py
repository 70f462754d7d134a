"""Log output as the console handler writes it (same filters, same formatters)."""

from __future__ import annotations

import io
import json
import logging
from contextlib import contextmanager

from ngo.lib.log import JsonFormatter, PlainFormatter, WithholdDataFilter
from ngo.lib.request_context import RequestIdLogFilter


class Captured:
    def __init__(self):
        self.json = io.StringIO()
        self.plain = io.StringIO()

    def text(self) -> str:
        return self.json.getvalue() + self.plain.getvalue()

    def lines(self) -> list[dict]:
        """Every JSON line, parsed (a line that is not JSON fails the test)."""
        return [json.loads(line) for line in self.json.getvalue().splitlines() if line]


def _handler(stream, formatter) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdLogFilter())
    handler.addFilter(WithholdDataFilter())
    handler.setFormatter(formatter)
    return handler


@contextmanager
def captured_logs(*names: str, level: int = logging.INFO):
    """Capture the named loggers (root when none) in both formats."""
    captured = Captured()
    handlers = [
        _handler(captured.json, JsonFormatter()),
        _handler(captured.plain, PlainFormatter()),
    ]
    loggers = [logging.getLogger(name) for name in names] or [logging.getLogger()]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
        for handler in handlers:
            logger.addHandler(handler)
    try:
        yield captured
    finally:
        for logger, old_level in zip(loggers, previous, strict=True):
            logger.setLevel(old_level)
            for handler in handlers:
                logger.removeHandler(handler)
