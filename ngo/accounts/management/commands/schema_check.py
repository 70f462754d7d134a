"""Does the API answer as its OpenAPI schema says? schemathesis finds out.

    python manage.py schema_check [--max-examples 5] [--seed N]

Makes a database of its own (a SQLite file in a temporary folder, or
`<name>_schema_check` when the configured database is PostgreSQL, dropped and
made again), migrates it and loads the demo data, issues API tokens to the demo
counsellor and policy officer (accounts.services.issue_api_token), starts
gunicorn on a free loopback port, and runs `schemathesis run` over every
operation of /api/schema/ once per person. Checks: no server error, bodies,
status codes, content types and headers as documented. Exits non-zero on any
failure. Bounded to a few minutes on two cores: a few examples per operation,
generated requests only (no coverage or stateful phase), no shrinking.

The records the run creates stay in its own database, which is thrown away.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

BIN = Path(sys.executable).parent
# (label, demo account): the two people whose tokens the run uses.
PERSONAS = [
    ("counsellor", "counsellor@demo.hamkke.kr"),
    ("policy officer", "policy@demo.hamkke.kr"),
]
CHECKS = [
    "not_a_server_error",
    "response_schema_conformance",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
]
# The examples the schema gives, then generated requests (positive and negative).
# No coverage phase: it tries every variation of every parameter, minutes per
# person on two cores; no stateful phase: its chains of calls grow without bound.
PHASES = ["examples", "fuzzing"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Run schemathesis over the whole API, as a counsellor and as a policy officer."

    def add_arguments(self, parser):
        parser.add_argument("--max-examples", type=int, default=5, help="per operation")
        parser.add_argument("--seed", type=int, default=None, help="for a reproducible run")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
        parser.add_argument(
            "--prepare",
            default="",
            metavar="FILE",
            help="(run by the check itself, in its own environment) migrate, load the "
            "demo data and write the personas' tokens to FILE",
        )

    def handle(self, *args, max_examples, seed, workers, prepare, **options):
        if prepare:
            self._prepare(Path(prepare))
            return
        if settings.PRODUCTION:
            raise CommandError("The schema check loads demo data; not in production.")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="hamkke-schema-") as work:
            work = Path(work)
            env = self._environment(work)
            tokens_file = work / "tokens.json"
            self.stdout.write("Preparing a fresh database with the demo data ...")
            self._run([sys.executable, "manage.py", "schema_check", "--prepare", tokens_file], env)
            tokens = json.loads(tokens_file.read_text())
            port = _free_port()
            web = self._gunicorn(port, workers, env, work)
            try:
                self._wait(port, next(iter(tokens.values())))
                schema = self._fetch_schema(port, next(iter(tokens.values())), work)
                results = [
                    self._schemathesis(label, tokens[label], port, schema, max_examples, seed)
                    for label, _email in PERSONAS
                ]
            finally:
                web.terminate()
                web.wait(timeout=30)
        self._report(results, time.monotonic() - started)
        if any(result["returncode"] for result in results):
            raise CommandError("The API does not answer as its schema says (see above).")

    # --- Steps -----------------------------------------------------------------------

    def _environment(self, work: Path) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"REDIS_URL", "HAMKKE_ENV", "HAMKKE_TEST_CLOCK", "DEBUG"}
        }
        env.update(
            DATABASE_URL=self._database_url(work),
            HAMKKE_VAR_DIR=str(work / "var"),
            HAMKKE_DEMO="1",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            PYTHONUNBUFFERED="1",
        )
        return env

    def _database_url(self, work: Path) -> str:
        """Its own database: a file in the folder, or a fresh PostgreSQL database
        beside the configured one."""
        if connection.vendor != "postgresql":
            return f"sqlite:///{work / 'schema-check.sqlite3'}"
        db = connection.settings_dict
        name = f"{db['NAME']}_schema_check"
        connection.ensure_connection()
        connection.connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        return (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{name}"
        )

    def _prepare(self, tokens_file: Path) -> None:
        from ngo.accounts import services
        from ngo.accounts.models import User

        if not settings.DEMO_MODE:
            raise CommandError("--prepare runs inside the schema check only.")
        call_command("migrate", interactive=False, verbosity=0)
        # The pages around the API (the docs, a 404 outside /api/) need the manifest.
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        tokens = {
            label: services.issue_api_token(
                user=User.objects.get(email=email), name="schema check"
            ).key
            for label, email in PERSONAS
        }
        tokens_file.write_text(json.dumps(tokens))
        tokens_file.chmod(0o600)

    def _run(self, command: list, env: dict) -> None:
        done = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
            [str(part) for part in command], env=env, cwd=settings.BASE_DIR, check=False
        )
        if done.returncode:
            raise CommandError(f"{command[1:4]} failed with exit code {done.returncode}.")

    def _gunicorn(self, port: int, workers: int, env: dict, work: Path) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(BIN / "gunicorn"),
                "ngo.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                # Long query strings reach Django: the request-line limit belongs
                # to the proxy in front, not to the schema.
                "--limit-request-line",
                "0",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )

    def _wait(self, port: int, token: str) -> None:
        request = Request(  # noqa: S310 - our own server on loopback
            f"http://127.0.0.1:{port}/api/v1/me/", headers={"Authorization": f"Token {token}"}
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urlopen(request, timeout=10) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not answer within two minutes.")

    def _fetch_schema(self, port: int, token: str, work: Path) -> Path:
        """The schema as the server publishes it, fetched once: generating it takes
        longer than schemathesis waits for a schema on a busy machine."""
        request = Request(  # noqa: S310 - our own server on loopback
            f"http://127.0.0.1:{port}/api/schema/?format=json",
            headers={"Authorization": f"Token {token}"},
        )
        with urlopen(request, timeout=300) as response:  # noqa: S310
            target = work / "schema.json"
            target.write_bytes(response.read())
        return target

    def _schemathesis(self, label, token, port, schema: Path, max_examples, seed) -> dict:
        self.stdout.write(self.style.MIGRATE_HEADING(f"\nschemathesis as the {label}"))
        command = [
            str(BIN / "schemathesis"),
            "run",
            str(schema),
            "--url",
            f"http://127.0.0.1:{port}",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            ",".join(PHASES),
            "--max-examples",
            str(max_examples),
            "--workers",
            "1",
            "--no-shrink",
            "--generation-database",
            "none",
            "--request-timeout",
            "30",
            # How fast the machine generates data is no property of the API.
            "--suppress-health-check",
            "too_slow",
            "--no-color",
        ]
        if seed is not None:
            command += ["--seed", str(seed)]
        started = time.monotonic()
        done = subprocess.run(  # noqa: S603 - schemathesis on our own server
            command,
            cwd=schema.parent,
            check=False,
            capture_output=True,
            text=True,
        )
        self.stdout.write(done.stdout)
        if done.stderr:
            self.stderr.write(done.stderr)
        return {
            "label": label,
            "returncode": done.returncode,
            "seconds": time.monotonic() - started,
            **_figures(done.stdout),
        }

    def _report(self, results: list[dict], seconds: float) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("\nSchema check"))
        for r in results:
            verdict = (
                self.style.SUCCESS("ok") if not r["returncode"] else self.style.ERROR("FAILED")
            )
            self.stdout.write(
                f"  {r['label']:15} {r['operations']} operations, {r['cases']} test cases,"
                f" {r['failures']} failures, {r['seconds']:.0f} s  {verdict}"
            )
        self.stdout.write(f"  wall time {seconds:.0f} s")


def _figures(output: str) -> dict:
    """Operations, test cases and failures from schemathesis' summary."""

    def number(pattern: str) -> int:
        found = re.search(pattern, output)
        return int(found.group(1)) if found else 0

    return {
        "operations": number(r"Tested:\s+(\d+)"),
        "cases": number(r"(\d+) generated"),
        "failures": number(r"(\d+) unique failures"),
    }
