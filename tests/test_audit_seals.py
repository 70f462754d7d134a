"""The hash chain over the audit trail: sealing, and verification that catches a
changed, deleted or inserted event and an altered seal. Tampering is done with
raw SQL as the table's owner would (on PostgreSQL with the triggers disabled,
which only the owner or a superuser can do)."""

import contextlib
import io
import secrets
import threading

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from ngo.audit import sealing, tasks
from ngo.audit.models import AuditAction, AuditEvent, AuditSeal
from ngo.audit.services import audit_record
from tests.conftest import REQUIRE_SERVICES

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql" and not REQUIRE_SERVICES,
    reason="needs concurrent PostgreSQL sessions (CI runs this on PostgreSQL)",
)


def _events(count: int, start: int = 0) -> list[AuditEvent]:
    return [
        audit_record(action=AuditAction.READ, object_type="accounts.user", object_id=start + n)
        for n in range(count)
    ]


@contextlib.contextmanager
def _as_owner():
    """A raw cursor on the audit tables with their append-only triggers off."""
    tables = ("audit_auditevent", "audit_auditseal")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The deferred foreign-key checks of the rows just written run first:
            # a table with pending trigger events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _verify(*args) -> tuple[bool, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


@pytest.fixture
def sealed(db):
    """Twelve events, sealed in seals of at most five."""
    events = _events(12)
    original = sealing.SEAL_BATCH
    sealing.SEAL_BATCH = 5
    try:
        made = sealing.audit_seal()
    finally:
        sealing.SEAL_BATCH = original
    assert sum(seal.event_count for seal in made) >= 12
    return events


def test_seals_cover_every_event_once_and_in_order(sealed):
    seals = list(AuditSeal.objects.order_by("number"))
    assert [seal.number for seal in seals] == list(range(1, len(seals) + 1))
    assert seals[0].first_event_id == 1
    for before, after in zip(seals, seals[1:], strict=False):
        assert after.first_event_id == before.last_event_id + 1
    assert seals[-1].last_event_id == sealed[-1].pk
    assert all(seal.event_count <= 5 for seal in seals)
    assert sum(seal.event_count for seal in seals) == AuditEvent.objects.count()


def test_sealing_again_appends_nothing(sealed):
    before = list(AuditSeal.objects.values_list("number", "digest"))
    assert sealing.audit_seal() == []
    call_command("seal_audit", stdout=io.StringIO())
    assert list(AuditSeal.objects.values_list("number", "digest")) == before


def test_new_events_go_into_the_next_seal(sealed):
    head = AuditSeal.objects.order_by("-number").first()
    later = _events(3, start=100)
    made = sealing.audit_seal()
    assert [seal.number for seal in made] == [head.number + 1]
    assert (made[0].first_event_id, made[0].last_event_id) == (head.last_event_id + 1, later[-1].pk)
    assert made[0].event_count == 3
    assert _verify()[0]


def test_an_untouched_chain_verifies(sealed):
    ok, out = _verify()
    assert ok, out
    head = AuditSeal.objects.order_by("-number").first()
    assert f"#{head.number}:{head.digest}" in out
    # The verification itself is on the trail, and is not sealed yet.
    assert AuditEvent.objects.filter(reason="verify_ok", object_type="audit.auditseal").exists()


def test_a_changed_event_is_detected(sealed):
    with _as_owner() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET object_id = '999' WHERE id = %s", [sealed[3].pk]
        )
    ok, out = _verify()
    assert not ok
    assert "an event was changed" in out
    assert AuditEvent.objects.filter(reason="verify_failed").exists()


def test_a_deleted_event_is_detected(sealed):
    with _as_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [sealed[7].pk])
    ok, out = _verify()
    assert not ok
    assert "1 event(s) deleted" in out


def test_an_event_inserted_into_a_sealed_range_is_detected(db):
    first = _events(1)[0]
    # A gap in the ids (a rolled-back insert leaves one on PostgreSQL).
    AuditEvent.objects.bulk_create(
        [AuditEvent(id=first.pk + 2, action=AuditAction.READ, object_type="accounts.user")]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), %s)",
                [first.pk + 2],
            )
    sealing.audit_seal()
    assert _verify()[0]
    with _as_owner() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (id, occurred_at, action, object_type, object_id,"
            " fields, reason, request_id) VALUES (%s, %s, 'read', 'counselling.case', '1',"
            " '[]', '', '')",
            [first.pk + 1, first.occurred_at],
        )
    ok, out = _verify()
    assert not ok
    assert "1 event(s) inserted" in out


def test_an_altered_or_removed_seal_is_detected(sealed):
    seals = list(AuditSeal.objects.order_by("number"))
    assert len(seals) >= 3
    with _as_owner() as cursor:
        cursor.execute(
            "UPDATE audit_auditseal SET event_count = event_count + 1 WHERE id = %s",
            [seals[0].pk],
        )
    ok, out = _verify()
    assert not ok and f"Seal #{seals[0].number} " in out
    with _as_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE id = %s", [seals[1].pk])
    ok, out = _verify()
    assert "seals are missing or inserted" in out
    assert "does not start where the seal before it ended" in out


def test_rebuilding_the_newest_seal_is_caught_by_the_logged_digest(sealed):
    head = AuditSeal.objects.order_by("-number").first()
    anchor = f"{head.number}:{head.digest}"
    assert _verify("--anchor", anchor)[0]
    # The owner removes an event and the newest seal; the sealer seals the rest again.
    with _as_owner() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [sealed[-1].pk])
        cursor.execute("DELETE FROM audit_auditseal WHERE id = %s", [head.pk])
    sealing.audit_seal()
    assert _verify()[0]  # the chain alone is consistent again
    ok, out = _verify("--anchor", anchor)
    assert not ok
    assert "does not match the digest recorded outside the database" in out


@pytest.mark.parametrize("value", ["12", "x:abc", "3:" + "g" * 64, "1:" + "a" * 63])
def test_a_malformed_anchor_is_refused_with_a_message(db, value):
    with pytest.raises(CommandError, match="NUMBER:DIGEST"), translation.override("en"):
        call_command("verify_audit", "--anchor", value, stdout=io.StringIO())


def test_keyed_seals_need_the_key_and_refuse_unkeyed_ones(db, settings):
    _events(2)
    sealing.audit_seal()  # before a key was set
    unkeyed = AuditSeal.objects.order_by("-number").first().number
    key = secrets.token_urlsafe(32).encode()
    settings.AUDIT_SEAL_KEYS = [key]
    _events(2, start=10)
    keyed = sealing.audit_seal()[-1]
    assert keyed.key_id == sealing.key_id_of(key)
    ok, out = _verify()
    assert not ok and "has no key although AUDIT_SEAL_KEY is set" in out
    assert _verify("--unkeyed-up-to", str(unkeyed))[0]
    # Without the key nobody can check (or recompute) the keyed seals.
    settings.AUDIT_SEAL_KEYS = []
    ok, out = _verify()
    assert not ok and keyed.key_id in out
    # A chain recomputed by someone without the key does not verify.
    settings.AUDIT_SEAL_KEYS = [secrets.token_urlsafe(32).encode(), key]
    assert _verify("--unkeyed-up-to", str(unkeyed))[0]
    settings.AUDIT_SEAL_KEYS = [secrets.token_urlsafe(32).encode()]
    assert not _verify("--unkeyed-up-to", str(unkeyed))[0]


def test_the_beat_task_seals(db):
    assert settings.CELERY_BEAT_SCHEDULE["audit-seal"]["task"] == "audit.seal"
    events = _events(3)
    assert tasks.seal.apply().get() >= 1
    assert AuditSeal.objects.order_by("-number").first().last_event_id == events[-1].pk
    assert tasks.seal.apply().get() == 0


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_events_of_a_transaction_still_open_are_not_sealed_past():
    assert connection.vendor == "postgresql"
    early = _events(1)[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    other = psycopg.connect(**params)
    try:
        # A request that took id N but has not committed while N+1 is committed.
        with other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_auditevent (occurred_at, action, object_type, object_id,"
                " fields, reason, request_id) VALUES (now(), 'read', 'accounts.user', 'late',"
                " '[]', '', '') RETURNING id"
            )
            late_id = cursor.fetchone()[0]
        after = _events(1)[0]
        assert early.pk < late_id < after.pk
        made = sealing.audit_seal()
        assert all(seal.last_event_id < late_id for seal in made)
        assert sealing.audit_seal() == []  # still open: nothing more
        other.commit()
    finally:
        other.close()
    made = sealing.audit_seal()
    assert made[-1].last_event_id == after.pk
    assert AuditEvent.objects.filter(object_id="late").exists()
    assert _verify()[0]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_sealers_at_once_append_each_seal_once():
    assert connection.vendor == "postgresql"
    _events(40)
    errors = []

    def run():
        try:
            sealing.audit_seal()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sealing.audit_seal()
    numbers = list(AuditSeal.objects.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    assert _verify()[0]
