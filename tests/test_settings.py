"""Settings come from the environment and fail loudly at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ngo.lib.env import new_fernet_key, new_secret_key

ROOT = Path(__file__).resolve().parent.parent
CONTROL = {
    "HAMKKE_ENV",
    "PYTEST_XDIST_WORKER",  # these processes are not test workers: var/ is the one given
    "HAMKKE_DEMO",
    "DEBUG",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEY",
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "HAMKKE_RUNTIME_DB_ROLE",
    "AUDIT_SEAL_KEY",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "TIME_ZONE",
    "SESSION_IDLE_MINUTES",
    "HAMKKE_REQUIRE_SERVICES",
}


def manage(tmp_path, *args, **env):
    base = {k: v for k, v in os.environ.items() if k not in CONTROL}
    base.update({"HAMKKE_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides):
    env = {
        "HAMKKE_ENV": "production",
        "SECRET_KEY": new_secret_key(),
        "FIELD_ENCRYPTION_KEY": new_fernet_key(),
        "DATABASE_URL": "postgres://hamkke:pw@127.0.0.1:5432/hamkke",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ALLOWED_HOSTS": "hamkke.example.org",
        "EMAIL_URL": "smtp+tls://mailer:pw@mail.example.org:587",
    }
    env.update(overrides)
    return env


def test_development_needs_no_variables_and_makes_its_secrets_once(tmp_path):
    first = manage(tmp_path, "check")
    assert first.returncode == 0, first.stderr
    secret = (tmp_path / "var" / "secret_key").read_text()
    key = (tmp_path / "var" / "field_encryption_key").read_text()
    assert oct((tmp_path / "var" / "secret_key").stat().st_mode)[-3:] == "600"
    assert manage(tmp_path, "check").returncode == 0
    assert (tmp_path / "var" / "secret_key").read_text() == secret
    assert (tmp_path / "var" / "field_encryption_key").read_text() == key


def test_production_check_deploy_prints_no_warnings(tmp_path):
    result = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (production_env(SECRET_KEY=""), "SECRET_KEY is required in production"),
        (production_env(FIELD_ENCRYPTION_KEY=""), "FIELD_ENCRYPTION_KEY is required"),
        (production_env(ALLOWED_HOSTS=""), "ALLOWED_HOSTS is required"),
        (production_env(REDIS_URL=""), "REDIS_URL is required"),
        (production_env(EMAIL_URL=""), "EMAIL_URL is required"),
        (production_env(HAMKKE_DEMO="1"), "HAMKKE_DEMO cannot be on"),
        (production_env(DEBUG="true"), "DEBUG cannot be on"),
        ({"HAMKKE_ENV": "staging"}, "HAMKKE_ENV must be one of"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        ({"DATABASE_URL": "mysql://u:p@h/db"}, "DATABASE_URL must start with postgres://"),
        ({"REDIS_URL": "http://localhost:6379"}, "REDIS_URL must start with redis://"),
        ({"FIELD_ENCRYPTION_KEY": "not-a-key"}, "FIELD_ENCRYPTION_KEY must be url-safe base64"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE is not a known time zone"),
        ({"SESSION_IDLE_MINUTES": "half an hour"}, "SESSION_IDLE_MINUTES must be a whole number"),
    ],
)
def test_bad_or_missing_values_stop_the_start_with_a_clear_message(tmp_path, env, message):
    result = manage(tmp_path, "check", **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_data_is_refused_in_production(settings, db):
    from django.core.exceptions import ImproperlyConfigured

    from ngo.accounts.demo import load_demo

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        load_demo()


def test_a_sqlite_database_named_by_url_gets_the_shared_file_options(monkeypatch, tmp_path):
    import environ

    from ngo.lib.env import read_database

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    options = read_database(environ.Env(), tmp_path / "unused.sqlite3")["OPTIONS"]
    # Claims read rows and hold them: the write lock is taken when a transaction begins.
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    monkeypatch.setenv("DATABASE_URL", "postgres://hamkke:pw@127.0.0.1:5432/hamkke")
    assert "transaction_mode" not in read_database(environ.Env(), tmp_path / "x").get("OPTIONS", {})


def test_postgresql_connections_run_without_the_jit_compiler(monkeypatch, tmp_path):
    import environ

    from ngo.lib.env import read_database

    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example.org:5432/hamkke")
    config = read_database(environ.Env(), tmp_path / "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert "-c jit=off" in config["OPTIONS"]["options"]
    assert not (tmp_path / "unused.sqlite3").exists()
