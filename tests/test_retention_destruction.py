"""Destruction leaves nothing that identifies her: in any table (every row of
every model, encrypted columns decrypted, and the raw tables), on disk, in the
blind indexes; and the shadow-report statistics count the same before and
after. Re-running does nothing twice."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.db import connection

from counselling.models import Client, Document, phone_index_of
from counselling.retention import services as rs
from counselling.retention.models import (
    BatchStatus,
    DestructionBatch,
    DestructionStub,
    ItemState,
)
from ngo.audit.models import AuditEvent
from ngo.lib import private_files
from policy_monitor.statistics import services as stats
from tests import statistics_oracle
from tests.retention_world import DUE_DAY, PHONE, SECRETS, rich_client

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def organisation(organisations):
    return organisations["hospital"]


def _every_value() -> str:
    """Every row of every table, read through the models (encrypted columns
    decrypted) and raw."""
    parts = []
    for model in apps.get_models(include_auto_created=True):
        fields = model._meta.concrete_fields
        for row in model._base_manager.all().iterator():
            parts.extend(str(getattr(row, field.attname)) for field in fields)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table names come from the database's own catalogue.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            parts.extend(str(value) for record in cursor.fetchall() for value in record)
    return "\n".join(parts)


def _files_on_disk(settings) -> list[bytes]:
    root = settings.PRIVATE_MEDIA_ROOT
    return [private_files.fernet().decrypt(p.read_bytes()) for p in root.rglob("*") if p.is_file()]


def _units(actor, branch):
    dataset = stats.dataset_create(
        actor=actor,
        title="Before and after",
        period_from=date(2014, 1, 1),
        period_to=date(2015, 12, 31),
        dimensions=["nationality"],
        measures=["clients", "cases", "sessions"],
        branches=[branch],
        generate=False,
    )
    units, counted, excluded = statistics_oracle.build_units(
        dataset, statistics_oracle.gather(dataset)
    )
    return units, counted, excluded


def _destroy(personas, branch):
    with time_machine.travel(DUE_DAY, tick=False):
        batch = rs.batch_propose(branch=branch)
        rs.batch_approve(actor=personas.manager_a, batch=batch)
        assert rs.batch_execute(batch_id=batch.pk) == "executed"
    return DestructionBatch.objects.get(pk=batch.pk)


def test_destruction_leaves_no_identifying_value_anywhere(
    personas, branch_a, organisation, settings, django_capture_on_commit_callbacks
):
    client, case, document = rich_client(personas, branch_a, organisation)
    before = _every_value()
    missing = [s for s in SECRETS if s != "Filecontent-QX" and s not in before]
    assert not missing, f"The world lacks: {missing}"
    assert any(b"Filecontent-QX" in content for content in _files_on_disk(settings))
    assert Client.objects.filter(phone_index=phone_index_of(PHONE)).exists()
    statistics_before = _units(personas.policy_officer, branch_a)
    assert statistics_before[1] == 1 and statistics_before[0]["sessions"]

    with django_capture_on_commit_callbacks(execute=True):
        batch = _destroy(personas, branch_a)

    after = _every_value()
    left = [secret for secret in SECRETS if secret in after]
    assert not left, f"Still in the database after destruction: {left}"
    assert not any(b"Filecontent-QX" in content for content in _files_on_disk(settings))
    assert not Document.objects.get(pk=document.pk).has_file()
    assert not Client.objects.filter(phone_index=phone_index_of(PHONE)).exists()
    assert batch.status == BatchStatus.EXECUTED
    assert batch.counts["counselling.Client"] == 1
    assert batch.counts["counselling.CounsellingSession"] == 1
    assert batch.counts["counselling.Document"] == 1
    assert batch.counts["letters"] == 1  # her DV confirmation letter, through its own scrubber
    assert batch.counts["incidents.Incident"] == 1  # blanked, its codes kept
    # Her stored copy of her data is gone with her (the rights app's scrubber).
    from counselling.rights.models import SubjectAccessExport

    (export,) = SubjectAccessExport.objects.filter(client=client)
    assert not export.has_file()
    assert DestructionStub.objects.filter(client=client, case__isnull=True).count() == 1
    stub = Client.objects.get(pk=client.pk)
    assert (stub.nationality.code, stub.residence_status, stub.case_code) == (
        "VN",
        "F-6",
        client.case_code,
    )
    assert stub.birth_date == date(1990, 1, 1)
    assert _units(personas.policy_officer, branch_a) == statistics_before


def test_a_second_run_does_nothing_twice(
    personas, branch_a, organisation, django_capture_on_commit_callbacks
):
    client, _case, _document = rich_client(personas, branch_a, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        batch = _destroy(personas, branch_a)
    events = AuditEvent.objects.count()
    versions = Client.objects.get(pk=client.pk).version
    with time_machine.travel(DUE_DAY, tick=False):
        assert rs.batch_execute(batch_id=batch.pk) == "done"
        assert rs.batch_propose(branch=branch_a) is None  # nothing left to propose
    assert AuditEvent.objects.count() == events
    assert Client.objects.get(pk=client.pk).version == versions
    assert DestructionStub.objects.filter(client=client).count() == 2  # her case and her
    assert batch.items.get().state == ItemState.DESTROYED


def test_audit_events_of_destruction_hold_no_personal_data(
    personas, branch_a, organisation, django_capture_on_commit_callbacks
):
    rich_client(personas, branch_a, organisation)
    first = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        _destroy(personas, branch_a)
    events = AuditEvent.objects.filter(pk__gt=first)
    assert events.filter(action="delete", reason="retention_client").count() == 1
    text = " ".join(
        f"{e.object_type} {e.object_id} {e.fields} {e.reason}" for e in events.iterator()
    )
    assert not [secret for secret in SECRETS if secret in text]
