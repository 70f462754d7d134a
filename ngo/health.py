"""The health endpoints for load balancers and monitors (django-health-check).

They answer anyone, without sign-in, and so say nothing but "ok" or "failing"
per component: no host names, versions, counts or error texts (those go to the
log, without personal data). Every probe gives up within a few seconds; the
cache and broker clients use the short timeouts of the settings.

    /health/      database, cache, broker, private files, worker: for a monitor
    /health/web/  database and private files: for a load balancer, which should
                  take a web process out only for what that process needs itself
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import uuid

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from health_check import Cache, Database, HealthCheck
from health_check.exceptions import ServiceReturnedUnexpectedResult, ServiceUnavailable
from health_check.views import HealthCheckView

from ngo.accounts.selectors import worker_heartbeat
from ngo.lib import private_files

PROBE_AREA = "health"


@dataclasses.dataclass
class Broker(HealthCheck):
    """One connection to the Celery broker, with the broker's own timeouts."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        from celery import current_app

        try:
            with current_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        except Exception as exc:  # kombu and redis raise many kinds
            raise ServiceUnavailable("the broker is unreachable") from exc


@dataclasses.dataclass
class PrivateFiles(HealthCheck):
    """A small file encrypted, written, read back and removed under
    PRIVATE_MEDIA_ROOT, with the field keys, as a document upload would."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        probe = uuid.uuid4().bytes
        try:
            name = private_files.store(PROBE_AREA, probe)
            try:
                read_back = private_files.read(PROBE_AREA, name)
            finally:
                private_files.delete(PROBE_AREA, name)
        except (OSError, InvalidToken) as exc:
            raise ServiceUnavailable("the private files folder is not usable") from exc
        if read_back != probe:
            raise ServiceReturnedUnexpectedResult("a private file read back differs")


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """A worker ran the heartbeat task (ngo.health, sent by the beat) recently."""

    timeout = datetime.timedelta(seconds=3)

    def run(self):
        seen = worker_heartbeat()
        if seen is None:
            raise ServiceUnavailable("no worker heartbeat (or the cache is unreachable)")
        silence = timezone.now() - seen
        if silence > datetime.timedelta(minutes=settings.HEALTH_WORKER_SILENCE_MINUTES):
            raise ServiceUnavailable("the last worker heartbeat is too old")


COMPONENTS = {
    "database": Database,
    "cache": Cache,
    "broker": Broker,
    "private_files": PrivateFiles,
    "worker": WorkerHeartbeat,
}


class HealthView(HealthCheckView):
    components: tuple[str, ...] = tuple(COMPONENTS)

    def get_checks(self):
        for name in self.components:
            yield COMPONENTS[name]()

    async def get(self, request, *args, **kwargs):
        checks = list(self.get_checks())
        with self.get_executor() as executor:
            results = await asyncio.gather(*(check.get_result(executor) for check in checks))
        statuses = {
            name: "failing" if result.error else "ok"
            for name, result in zip(self.components, results, strict=True)
        }
        failing = "failing" in statuses.values()
        return JsonResponse(
            {"status": "failing" if failing else "ok", "checks": statuses},
            status=503 if failing else 200,
        )

    def http_method_not_allowed(self, request, *args, **kwargs):
        response = JsonResponse(
            {"error": _("This address answers GET and HEAD requests only.")}, status=405
        )
        response["Allow"] = "GET, HEAD"

        async def answer():
            return response

        return answer()


health = csrf_exempt(HealthView.as_view())
web_health = csrf_exempt(HealthView.as_view(components=("database", "private_files")))
