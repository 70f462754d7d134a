import os

from celery import Celery, signals

from ngo.lib import log, request_context

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo.settings")

app = Celery("ngo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["ngo"], related_name="tasks")

# Workers log like the web processes (LOGGING), with the id of the request that
# queued each task.
signals.setup_logging.connect(log.configure_worker_logging, weak=False)
request_context.carry_into_tasks()
