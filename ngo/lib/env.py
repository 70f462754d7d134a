"""Typed, loud settings helpers on top of django-environ.

Every value is read once, at start-up, and a bad or missing value stops the
process with a message that names the variable and says what is expected.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured


class SettingsError(ImproperlyConfigured):
    pass


def fail(name: str, problem: str) -> SettingsError:
    return SettingsError(f"Hamkke settings: {name} {problem}")


def read_bool(env: environ.Env, name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise fail(name, f"must be true or false (got {raw!r}).")


def read_int(env: environ.Env, name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise fail(name, f"must be a whole number (got {raw!r}).") from None
    if value < minimum:
        raise fail(name, f"must be at least {minimum} (got {value}).")
    return value


def read_month(env: environ.Env, name: str, default: str) -> date:
    """A month given as YYYY-MM, as its first day."""
    raw = env.str(name, default=default).strip()
    try:
        return datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise fail(name, f"must be a year and month, YYYY-MM (got {raw!r}).") from None


def read_choice(env: environ.Env, name: str, default: str, choices: set[str]) -> str:
    value = env.str(name, default=default).strip().lower()
    if value not in choices:
        raise fail(name, f"must be one of {', '.join(sorted(choices))} (got {value!r}).")
    return value


# Web, worker and beat share the file: wait for locks, write-ahead log, and take the
# write lock when a transaction begins, so that a transaction that reads rows to
# claim them (the reminder e-mails) holds them until it commits.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def read_database(env: environ.Env, default_path: Path) -> dict:
    raw = env.str("DATABASE_URL", default="")
    if not raw:
        default_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_path),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    return database_from_url(raw)


def database_from_url(raw: str, *, name: str = "DATABASE_URL") -> dict:
    """The Django database settings for a postgres:// or sqlite:/// address, with
    the options Hamkke runs either engine with; `name` is what errors call it."""
    try:
        config = environ.Env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several types
        raise fail(name, f"could not be parsed: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise fail(name, "must start with postgres:// (production) or sqlite:/// (development).")
    if engine == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    if engine == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiler spends seconds compiling the large plans of
        # lists and exports that run in milliseconds without it.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config


def read_owner_credentials(env: environ.Env, runtime: dict) -> dict | None:
    """DATABASE_OWNER_URL: the role that owns the schema, for `manage.py migrate`.

    Only its user and password are kept: it must name the same server and database
    as DATABASE_URL, and the test suite's own database stays the one it migrates."""
    raw = env.str("DATABASE_OWNER_URL", default="")
    if not raw:
        return None
    if runtime.get("ENGINE") != "django.db.backends.postgresql":
        raise fail("DATABASE_OWNER_URL", "needs DATABASE_URL to be a postgres:// URL.")
    try:
        owner = environ.Env.db_url_config(raw)
    except Exception as exc:  # django-environ raises several types
        raise fail("DATABASE_OWNER_URL", f"could not be parsed: {exc}") from None
    for key in ("ENGINE", "HOST", "PORT", "NAME"):
        if str(owner.get(key, "")) != str(runtime.get(key, "")):
            raise fail(
                "DATABASE_OWNER_URL",
                "must name the same server and database as DATABASE_URL (only the user "
                "and password differ).",
            )
    if owner.get("USER") == runtime.get("USER"):
        raise fail("DATABASE_OWNER_URL", "must use another role than DATABASE_URL.")
    return {"USER": owner.get("USER", ""), "PASSWORD": owner.get("PASSWORD", "")}


def read_runtime_role(env: environ.Env, runtime: dict, owner: dict | None) -> str:
    """HAMKKE_RUNTIME_DB_ROLE: the role migrate grants the application's rights to.
    Defaults to the user of DATABASE_URL when DATABASE_OWNER_URL is set."""
    role = env.str("HAMKKE_RUNTIME_DB_ROLE", default="").strip()
    if not role and owner is not None:
        role = runtime.get("USER", "")
    if role and runtime.get("ENGINE") != "django.db.backends.postgresql":
        raise fail("HAMKKE_RUNTIME_DB_ROLE", "needs DATABASE_URL to be a postgres:// URL.")
    if len(role) > 63:
        raise fail("HAMKKE_RUNTIME_DB_ROLE", "must be a PostgreSQL role name (63 characters).")
    return role


def read_seal_keys(env: environ.Env) -> list[bytes]:
    """AUDIT_SEAL_KEY: HMAC keys for the audit seals, comma-separated, newest first."""
    keys = [part.strip() for part in env.str("AUDIT_SEAL_KEY", default="").split(",")]
    keys = [key for key in keys if key]
    for key in keys:
        if len(key) < 32:
            raise fail(
                "AUDIT_SEAL_KEY",
                "must be keys of at least 32 characters, comma-separated; make one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'",
            )
    return [key.encode() for key in keys]


def read_redis_url(env: environ.Env) -> str:
    raw = env.str("REDIS_URL", default="").strip()
    if raw and not raw.startswith(("redis://", "rediss://", "unix://")):
        raise fail("REDIS_URL", f"must start with redis://, rediss:// or unix:// (got {raw!r}).")
    return raw


def redis_database(url: str, number: int) -> str:
    """The same Redis server, another numbered database (redis://host:port/<number>)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme == "unix":
        return url
    return urlunsplit(parts._replace(path=f"/{number}"))


def secret_from_file(path: Path, *, create) -> str:
    """Read a development secret kept under var/, creating it once if absent."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = create()
    path.write_text(value + "\n")
    path.chmod(0o600)
    return value


def new_secret_key() -> str:
    return secrets.token_urlsafe(64)


def new_fernet_key() -> str:
    return Fernet.generate_key().decode()


def parse_fernet_keys(raw: str) -> list[str]:
    """FIELD_ENCRYPTION_KEY: one or more Fernet keys, comma-separated, newest first."""
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    if not keys:
        raise fail("FIELD_ENCRYPTION_KEY", "is empty.")
    for key in keys:
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            raise fail(
                "FIELD_ENCRYPTION_KEY",
                "must be url-safe base64 Fernet keys of 32 bytes, comma-separated; "
                "make one with: python manage.py generate_field_key",
            ) from None
    return keys
