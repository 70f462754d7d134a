"""What the benchmark commands share: their own database beside the configured
one, filled to a named volume, and signed-in browsers of the volume's staff."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from counselling.management.commands import _bench_sql as sql


def use_database(volume: str, stdout) -> None:
    """Switch to `<name>_bench_<volume>` (PostgreSQL) or `var/bench-<volume>.sqlite3`,
    creating, migrating and filling it the first time (seed_volume is idempotent)."""
    default = connections["default"]
    base = settings.DATABASES["default"]
    if default.vendor == "postgresql":
        original = str(base.get("BENCH_ORIGINAL_NAME") or base["NAME"])
        base["BENCH_ORIGINAL_NAME"] = original
        stem = original.removesuffix("_bench_small").removesuffix("_bench_archive")
        name = f"{stem}_bench_{volume}"
        _create_postgres_database(name)
    else:
        name = str(Path(settings.VAR_DIR) / f"bench-{volume}.sqlite3")
    default.close()
    base["NAME"] = name
    default.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_volume", volume=volume, stdout=stdout)


def _create_postgres_database(name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone():
            return
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')


def database_url() -> str:
    """The URL of the database in use, for processes the benchmark starts."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    return f"sqlite:///{db['NAME']}"


def signed_in(user) -> Client:
    """A browser session past the password and the second factor."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = Client()
    client.force_login(user)
    device = apps.get_model("accounts", "AuthenticatorDevice").objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )[0]
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def people():
    """Seoul, its first manager, its busiest counsellor and a policy officer."""
    User = apps.get_model("accounts", "User")
    Branch = apps.get_model("accounts", "Branch")
    seoul = Branch.objects.get(code="SEO")
    manager = User.objects.filter(role="branch_manager", branches=seoul).order_by("id")[0]
    counsellor = User.objects.get(pk=sql.busiest_counsellor(seoul.id))
    officer = User.objects.filter(role="policy_officer").order_by("id")[0]
    return seoul, manager, counsellor, officer
