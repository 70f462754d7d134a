import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ngo.settings")

app = Celery("ngo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["ngo"], related_name="tasks")
