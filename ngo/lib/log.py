"""Log lines without personal data, one per event, as JSON or as plain text.

Every line carries the request id (`request_context.RequestIdLogFilter`). What
a line may hold is decided here, not by whoever logs:

- an exception is written as its type and the file, function and line of each
  frame: never its message (which can quote a name or a database value), never
  local variables or source lines;
- the JSON line has a fixed set of fields; anything else a library attaches to
  a record (Django's request, Celery's task arguments) is left out;
- Celery's own task lines lose the task's arguments, return value and exception
  text.

HAMKKE_LOG_FORMAT (settings) picks `JsonFormatter` or `PlainFormatter`.
"""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Iterator
from types import TracebackType

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

WITHHELD = "(withheld)"

# The fields a JSON line may carry besides time, level, logger, message and the
# exception: the request line, the task line, Django's status code.
EXTRA_FIELDS = (
    "request_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "task",
    "task_id",
    "state",
    "status_code",
)
_JSON_FIELDS = {"time", "level", "logger", "message", "exception", "stack", *EXTRA_FIELDS}

# Celery passes a dict of values to its task lines; these keys hold data.
_CELERY_DATA_KEYS = ("args", "kwargs", "return_value", "traceback", "exc")


def _type_name(kind: type) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    """The exception and the ones it was raised from or during, oldest first."""
    seen: list[BaseException] = []
    while exc is not None and all(exc is not other for other in seen):
        seen.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return reversed(seen)


def _frames(tb: TracebackType | None) -> Iterator[str]:
    while tb is not None:
        code = tb.tb_frame.f_code
        yield f'  File "{code.co_filename}", line {tb.tb_lineno}, in {code.co_name}'
        tb = tb.tb_next


def exception_text(exc_info) -> str:
    """A traceback of frames and exception types only."""
    _kind, value, tb = exc_info
    if value is None:
        return ""
    parts = []
    for exc in _chain(value):
        if parts:
            parts.append("The above led to:")
        parts.append("Traceback (most recent call last):")
        parts.extend(_frames(exc.__traceback__ if exc is not value else tb))
        parts.append(f"{_type_name(type(exc))} (message withheld)")
    return "\n".join(parts)


class WithholdDataFilter(logging.Filter):
    """Takes the data out of Celery's task lines (arguments, return values and
    exception texts are interpolated into their messages)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("celery") and isinstance(record.args, dict):
            args = dict(record.args)
            for key in _CELERY_DATA_KEYS:
                if key in args:
                    args[key] = WITHHELD
            if "exc" in args and record.exc_info and record.exc_info[0] is not None:
                args["exc"] = _type_name(record.exc_info[0])
            record.args = args
            if hasattr(record, "data"):
                record.data = None
        return True


class PlainFormatter(logging.Formatter):
    """One readable line per event (development), with the safe traceback."""

    default_format = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"

    def __init__(self, fmt: str | None = None, **kwargs):
        super().__init__(fmt or self.default_format, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None  # never a traceback another formatter cached
        return super().format(record)

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return exception_text(ei)


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message,
    request_id, the request or task fields when present, and `exception`."""

    def __init__(self, **kwargs):
        super().__init__(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={
                "levelname": "level",
                "name": "logger",
                "exc_info": "exception",
                "stack_info": "stack",
            },
            timestamp="time",
            **kwargs,
        )

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = None
        return super().format(record)

    def formatException(self, ei) -> str:  # noqa: N802
        return exception_text(ei)

    def add_fields(self, log_data, record, message_dict) -> None:
        # A dict logged as the message is data: only its allowed keys are kept below.
        super().add_fields(log_data, record, message_dict)
        for name in EXTRA_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                log_data[name] = value

    def process_log_record(self, log_data):
        return {key: value for key, value in log_data.items() if key in _JSON_FIELDS}


def configure_worker_logging(loglevel=None, **_kwargs) -> None:
    """Celery's `setup_logging` receiver: workers and beat log through the same
    LOGGING as the web processes, instead of Celery's own format, at the level
    of their --loglevel."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)
