"""Settings for a Celery worker started by a test: the test's database and a mail
store the test can read."""

import os

from ngo.settings import *  # noqa: F403
from ngo.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["HAMKKE_TEST_DATABASE_NAME"]
EMAIL_BACKEND = "tests.mail_backends.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["HAMKKE_TEST_EMAIL_DIR"]
TEST_MAIL_DELAY = float(os.environ.get("HAMKKE_TEST_MAIL_DELAY", "0"))

# Keep the worker's clock in step with the test's, when the suite runs at another instant.
from tests.clock import start_clock_from_environment  # noqa: E402

start_clock_from_environment()
