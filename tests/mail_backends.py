"""Mail servers for tests: the outside world, so these may pretend."""

import smtplib
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


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
