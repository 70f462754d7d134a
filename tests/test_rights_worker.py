"""Her copy built by a real worker process, through the real broker (Redis in
CI), on the test's database: what production does after the approval."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from django.db import connection

from counselling.rights import services
from counselling.rights.models import ExportStatus, SubjectAccessExport
from counselling.rights.tasks import build_export
from ngo.celery import app
from ngo.lib.celery_helpers import worker_argv
from tests.rights_helpers import members

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(settings, tmp_path):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("a worker process needs a database it can share (PostgreSQL in CI)")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    queue = f"test-rights-{uuid.uuid4().hex[:10]}"
    name = f"{queue}@%h"
    (tmp_path / "mail").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "HAMKKE_TEST_DATABASE_NAME": connection.settings_dict["NAME"],
        "HAMKKE_TEST_EMAIL_DIR": str(tmp_path / "mail"),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    process = subprocess.Popen(worker_argv(queue, name), cwd=ROOT, env=env)
    try:
        hostname = name.replace("%h", socket.gethostname())
        for _ in range(240):
            if app.control.ping(destination=[hostname], timeout=0.5):
                break
        else:
            raise AssertionError("the worker did not come up")
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_real_worker_builds_the_approved_export_once(personas, make_case, worker):
    case = make_case(name_romanised="Pham Thi Thu")
    export = services.export_prepare(
        actor=personas.counsellor_a,
        client=case.client,
        requester="herself",
        identity_check="passport",
    )
    services.export_approve(actor=personas.manager_a, export=export)
    assert build_export.apply_async(args=[export.pk], queue=worker).get(timeout=120) == "built"
    # Delivered again (acks_late after a crash): nothing is built twice.
    assert build_export.apply_async(args=[export.pk], queue=worker).get(timeout=120) == "skipped"
    export = SubjectAccessExport.objects.get(pk=export.pk)
    assert export.status == ExportStatus.READY
    name, content = services.export_download(actor=personas.counsellor_a, export=export)
    assert name.endswith(".zip")
    assert "Pham Thi Thu" in members(content)["data.json"].decode()
