"""The two database roles: migrate as the owner, run as a role that owns nothing and
may only read and insert audit rows. On PostgreSQL each test creates its role,
applies the production grant step (the post_migrate handler) and SETs ROLE to it
inside the test's transaction, which rolls everything back afterwards."""

import contextlib
import uuid
from datetime import timedelta

import environ
import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from django.utils import timezone

from ngo.accounts import services
from ngo.audit import sealing, signals
from ngo.audit.models import AuditAction, AuditEvent
from ngo.audit.services import audit_record
from ngo.lib import db_roles
from ngo.lib import env as envlib
from tests.conftest import REQUIRE_SERVICES

AUDIT_TABLES = ["audit_auditevent", "audit_auditseal"]
RUNTIME = "postgres://hamkke_app:pw@db.example.org:5432/hamkke"

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql" and not REQUIRE_SERVICES,
    reason="database roles exist on PostgreSQL (CI runs this on PostgreSQL)",
)


# --- Configuration ----------------------------------------------------------------------


def _config(monkeypatch, **variables):
    for name in ("DATABASE_URL", "DATABASE_OWNER_URL", "HAMKKE_RUNTIME_DB_ROLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    env = environ.Env()
    runtime = environ.Env.db_url_config(env.str("DATABASE_URL", default="sqlite:///x.db"))
    owner = envlib.read_owner_credentials(env, runtime)
    return owner, envlib.read_runtime_role(env, runtime, owner)


def test_one_role_by_default(monkeypatch):
    assert _config(monkeypatch) == (None, "")
    assert _config(monkeypatch, DATABASE_URL=RUNTIME) == (None, "")


def test_the_owner_url_gives_migrate_its_credentials_and_names_the_runtime_role(monkeypatch):
    owner, role = _config(
        monkeypatch,
        DATABASE_URL=RUNTIME,
        DATABASE_OWNER_URL="postgres://hamkke_owner:secret@db.example.org:5432/hamkke",
    )
    assert owner == {"USER": "hamkke_owner", "PASSWORD": "secret"}
    assert role == "hamkke_app"
    _, role = _config(
        monkeypatch,
        DATABASE_URL=RUNTIME,
        DATABASE_OWNER_URL="postgres://hamkke_owner:secret@db.example.org:5432/hamkke",
        HAMKKE_RUNTIME_DB_ROLE="hamkke_runtime",
    )
    assert role == "hamkke_runtime"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"DATABASE_OWNER_URL": "postgres://o:p@db.example.org/hamkke"}, "postgres://"),
        ({"HAMKKE_RUNTIME_DB_ROLE": "hamkke_app"}, "postgres://"),
        (
            {"DATABASE_URL": RUNTIME, "DATABASE_OWNER_URL": "postgres://o:p@db.example.org/other"},
            "same server and database",
        ),
        (
            {"DATABASE_URL": RUNTIME, "DATABASE_OWNER_URL": "postgres://o:p@elsewhere:5432/hamkke"},
            "same server and database",
        ),
        (
            {"DATABASE_URL": RUNTIME, "DATABASE_OWNER_URL": RUNTIME.replace(":pw@", ":x@")},
            "another role",
        ),
        ({"DATABASE_URL": RUNTIME, "HAMKKE_RUNTIME_DB_ROLE": "r" * 64}, "63 characters"),
    ],
)
def test_bad_role_settings_stop_the_process_with_a_message(monkeypatch, variables, message):
    with pytest.raises(envlib.SettingsError, match=message):
        _config(monkeypatch, **variables)


def test_seal_keys_are_long_enough(monkeypatch):
    monkeypatch.setenv("AUDIT_SEAL_KEY", "short")
    with pytest.raises(envlib.SettingsError, match="AUDIT_SEAL_KEY"):
        envlib.read_seal_keys(environ.Env())
    monkeypatch.setenv("AUDIT_SEAL_KEY", f"{'a' * 32}, {'b' * 40}")
    assert envlib.read_seal_keys(environ.Env()) == [b"a" * 32, b"b" * 40]


def test_without_a_runtime_role_migrate_grants_nothing(db, settings):
    settings.RUNTIME_DB_ROLE = ""
    signals.grant_runtime_role(sender=None, using="default")  # no error, no SQL
    assert db_roles.can_rewrite(connection, AUDIT_TABLES) == (
        AUDIT_TABLES if connection.vendor == "postgresql" else []
    )


# --- PostgreSQL: what the runtime role may do --------------------------------------------


def _new_role() -> str:
    role = f"hamkke_test_runtime_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
        cursor.execute(f'GRANT "{role}" TO CURRENT_USER')
    return role


@pytest.fixture
def runtime_role(db, settings):
    assert connection.vendor == "postgresql"
    role = _new_role()
    settings.RUNTIME_DB_ROLE = role
    signals.grant_runtime_role(sender=None, using="default")
    return role


@contextlib.contextmanager
def acting_as(role: str):
    with connection.cursor() as cursor:
        cursor.execute(f'SET ROLE "{role}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def _refused(sql: str) -> str:
    with (
        pytest.raises(ProgrammingError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert refused.value.__cause__.sqlstate == "42501"  # insufficient_privilege
    return str(refused.value)


@postgresql_only
@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE audit_auditevent",
        "TRUNCATE audit_auditseal",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
        "ALTER TABLE audit_auditseal DISABLE TRIGGER ALL",
        "UPDATE audit_auditevent SET reason = 'tampered'",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditseal SET digest = 'tampered'",
        "DELETE FROM audit_auditseal",
        "DROP TABLE audit_auditevent",
        "TRUNCATE accounts_branch",
        "ALTER TABLE accounts_branch DISABLE TRIGGER ALL",
        "CREATE TABLE audit_shadow (id int)",
        "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), 1)",
    ],
)
def test_the_runtime_role_cannot_rewrite_the_trail(runtime_role, sql):
    event = audit_record(action=AuditAction.READ, object_type="accounts.user", object_id=1)
    sealing.audit_seal()
    with acting_as(runtime_role):
        assert _refused(sql).startswith(("permission denied", "must be owner"))
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@postgresql_only
def test_the_runtime_role_runs_the_application(runtime_role, personas):
    with acting_as(runtime_role):
        branch = services.branch_create(
            actor=personas.admin, code="GWJ", name_ko="광주지부", name_en="Gwangju branch"
        )
        services.branch_update(actor=personas.admin, branch=branch, name_en="Gwangju office")
        session = Session.objects.create(
            session_key=uuid.uuid4().hex, session_data="", expire_date=timezone.now()
        )
        Session.objects.filter(expire_date__lt=timezone.now() + timedelta(days=1)).delete()
        events = AuditEvent.objects.filter(object_type="accounts.branch", object_id=str(branch.pk))
        assert [e.action for e in events.order_by("id")] == [AuditAction.CREATE, AuditAction.UPDATE]
        assert not Session.objects.filter(pk=session.pk).exists()
        assert sealing.audit_seal()
        assert sealing.audit_verify().ok
        assert db_roles.can_rewrite(connection, AUDIT_TABLES) == []
    # The owner (the test's own role) could: that is why the application is not it.
    assert db_roles.can_rewrite(connection, AUDIT_TABLES) == AUDIT_TABLES


@postgresql_only
def test_grants_are_idempotent_and_exactly_these(runtime_role):
    signals.grant_runtime_role(sender=None, using="default")
    privileges = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
    with connection.cursor() as cursor:

        def held(table):
            found = set()
            for privilege in privileges:
                cursor.execute(
                    "SELECT has_table_privilege(%s, %s, %s)", [runtime_role, table, privilege]
                )
                if cursor.fetchone()[0]:
                    found.add(privilege)
            return found

        assert held("audit_auditevent") == {"SELECT", "INSERT"}
        assert held("audit_auditseal") == {"SELECT", "INSERT"}
        assert held("accounts_branch") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
        assert held("django_session") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
        cursor.execute("SELECT count(*) FROM pg_class WHERE relowner = %s::regrole", [runtime_role])
        assert cursor.fetchone()[0] == 0


@postgresql_only
def test_tables_created_by_later_migrations_follow(runtime_role):
    table = f"later_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {table} (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
            " note text)"
        )
    with acting_as(runtime_role), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (note) VALUES ('a')")  # noqa: S608
        cursor.execute(f"UPDATE {table} SET note = 'b'")  # noqa: S608
        cursor.execute(f"SELECT note FROM {table}")  # noqa: S608
        assert cursor.fetchall() == [("b",)]
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        _refused(f"TRUNCATE {table}")


@postgresql_only
def test_a_missing_role_or_one_that_owns_tables_stops_migrate(db, settings):
    settings.RUNTIME_DB_ROLE = f"hamkke_missing_{uuid.uuid4().hex[:8]}"
    with pytest.raises(db_roles.RoleError, match="does not exist"):
        signals.grant_runtime_role(sender=None, using="default")
    role = _new_role()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE owned_by_runtime (id int)")
        # A new owner needs CREATE on the schema (the grant step takes it away again).
        cursor.execute(f'GRANT CREATE ON SCHEMA public TO "{role}"')
        cursor.execute(f'ALTER TABLE owned_by_runtime OWNER TO "{role}"')
    settings.RUNTIME_DB_ROLE = role
    with pytest.raises(db_roles.RoleError, match="owns owned_by_runtime"):
        signals.grant_runtime_role(sender=None, using="default")
