"""Mail servers for tests: the outside world, so these may pretend."""

import smtplib
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


class SlowFileBackend(FileBackend):
    """Writes each message to the file store like a mail server would, after a pause
    (a slow server). Before the pause it leaves a marker, so a test can kill the
    worker while a message is on its way."""

    def send_messages(self, messages):
        marker_dir = Path(settings.EMAIL_FILE_PATH) / "sending"
        marker_dir.mkdir(parents=True, exist_ok=True)
        for message in messages:
            (marker_dir / message.extra_headers["Message-ID"].strip("<>")).touch()
            time.sleep(float(getattr(settings, "TEST_MAIL_DELAY", 1.0)))
        return super().send_messages(messages)


class CountingBackend(LocmemBackend):
    """The in-memory outbox, counting the connections opened and what each carried:
    `CountingBackend.connections` holds one number of messages per connection."""

    connections: list[int] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._is_open = False

    def open(self):
        if self._is_open:
            return False
        self._is_open = True
        self._index = len(CountingBackend.connections)
        CountingBackend.connections.append(0)
        return True

    def close(self):
        self._is_open = False

    def send_messages(self, messages):
        opened = self.open()
        try:
            count = super().send_messages(messages)
            CountingBackend.connections[self._index] += count
        finally:
            if opened:
                self.close()
        return count


class BreakingBackend(CountingBackend):
    """A server that takes `TEST_MAIL_BREAK_AFTER` messages, then drops the connection;
    addresses in `TEST_MAIL_REFUSE` are refused one by one, the connection kept."""

    taken = 0

    def send_messages(self, messages):
        for message in messages:
            refused = set(message.to) & set(getattr(settings, "TEST_MAIL_REFUSE", ()))
            if refused:
                raise smtplib.SMTPRecipientsRefused({a: (550, b"no such user") for a in refused})
            if BreakingBackend.taken >= settings.TEST_MAIL_BREAK_AFTER:
                raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
            BreakingBackend.taken += 1
        return super().send_messages(messages)
