"""Many signed-in people at once, on gunicorn over loopback (locust, no think time).

    python manage.py bench_load --volume small|archive [--users 100] [--seconds 60]

Starts gunicorn on the benchmark database of that volume, signs in counsellors
and managers of the volume (one session per user), and runs locust twice for
the same time: a mix of caseload, case page, dashboard, API reads and session
writes, then the minimal signed-in view (`/api/v1/me/`) as the baseline. Prints
requests per second, p50/p95, errors and the ratio of the two throughputs; the
figures go to `var/bench/load-<volume>.json`. Asserts nothing about time.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from counselling.management.commands import _bench_support as support

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Throughput of signed-in staff against the minimal signed-in view."

    def add_arguments(self, parser):
        parser.add_argument("--volume", choices=["small", "archive"], default="small")
        parser.add_argument("--users", type=int, default=100)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--web-workers", type=int, default=0, help="gunicorn processes")
        parser.add_argument("--json", default="")

    def handle(self, *args, volume, users, seconds, web_workers, json: str, **options):
        support.use_database(volume, self.stdout)
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        with tempfile.TemporaryDirectory() as work:
            plan = Path(work) / "plan.json"
            plan.write_text(self._plan(users))
            port = _free_port()
            web = self._gunicorn(port, web_workers or (os.cpu_count() or 1) * 2)
            self._warm(port, json_loads(plan.read_text())["people"][0]["session"])
            try:
                results = {
                    mode: self._locust(mode, port, users, seconds, plan, Path(work))
                    for mode in ("mix", "minimal")
                }
            finally:
                web.terminate()
                web.wait(timeout=30)
        self._report(volume, users, seconds, results, json)

    def _plan(self, users: int) -> str:
        """One signed-in session per virtual user, over the Seoul staff."""
        Case = apps.get_model("counselling", "Case")
        User = apps.get_model("accounts", "User")
        seoul, manager, _counsellor, _officer = support.people()
        staff = list(
            User.objects.filter(branches=seoul, role__in=["counsellor", "branch_manager"])
            .exclude(email__startswith="volume-seed")
            .order_by("id")
        )
        open_cases = {}
        for person in staff:
            mine = Case.objects.exclude(status="closed").filter(branch=seoul)
            if person.role == "counsellor":
                mine = mine.filter(assigned=person)
            open_cases[person.pk] = list(
                mine.order_by("-opened_on").values_list("pk", flat=True)[:50]
            )
        staff = [person for person in staff if open_cases[person.pk]]
        if not staff:
            raise CommandError("The volume has no open case at Seoul.")
        people = []
        for number in range(users):
            person = staff[number % len(staff)]
            client = support.signed_in(person)
            people.append(
                {
                    "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "cases": open_cases[person.pk],
                    "manager": person.role == "branch_manager",
                }
            )
        return json_dumps({"people": people})

    def _gunicorn(self, port: int, workers: int) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": support.database_url(),
            "HAMKKE_VAR_DIR": str(settings.VAR_DIR),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
        web = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(BIN / "gunicorn"),
                "ngo.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return web
            except OSError:
                if web.poll() is not None:
                    raise CommandError("gunicorn did not start.") from None
                time.sleep(0.1)
        web.terminate()
        raise CommandError("gunicorn did not answer within 30 seconds.")

    def _warm(self, port: int, session: str) -> None:
        """Wait until every gunicorn worker has loaded the application."""
        from urllib.request import Request, urlopen

        request = Request(  # noqa: S310 - our own server on loopback
            f"http://127.0.0.1:{port}/api/v1/me/",
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        )
        answered, deadline = 0, time.monotonic() + 180
        while answered < 20 and time.monotonic() < deadline:
            try:
                with urlopen(request, timeout=30) as response:  # noqa: S310
                    answered += response.status == 200
            except OSError:
                time.sleep(0.5)
        if not answered:
            raise CommandError("gunicorn did not answer a signed-in request.")

    def _locust(self, mode, port, users, seconds, plan: Path, work: Path) -> dict:
        prefix = work / mode
        subprocess.run(  # noqa: S603 - locust on our own locustfile, fixed arguments
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "_locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "BENCH_PLAN": str(plan), "BENCH_MODE": mode},
            check=False,
            stdout=subprocess.DEVNULL,
        )
        with open(f"{prefix}_stats.csv", newline="") as handle:
            rows = list(csv.DictReader(handle))
        by_name = {row["Name"]: row for row in rows}
        total = by_name["Aggregated"]
        return {
            "requests": int(total["Request Count"]),
            "errors": int(total["Failure Count"]),
            "per_second": float(total["Requests/s"]),
            "p50_ms": float(total["50%"]),
            "p95_ms": float(total["95%"]),
            "by_request": {
                name: {
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"]),
                    "p95_ms": float(row["95%"]),
                }
                for name, row in by_name.items()
                if name != "Aggregated"
            },
        }

    def _report(self, volume, users, seconds, results, path) -> None:
        mix, minimal = results["mix"], results["minimal"]
        ratio = minimal["per_second"] / mix["per_second"] if mix["per_second"] else None
        self.stdout.write(f"\n{users} signed-in users, no think time, {seconds} s each:")
        for label, figures in (("staff mix", mix), ("minimal signed-in view", minimal)):
            f = figures
            self.stdout.write(
                f"  {label:24} {f['per_second']:8.1f} requests/s, p50 {f['p50_ms']:.0f} ms,"
                f" p95 {f['p95_ms']:.0f} ms, {f['errors']} errors of {f['requests']}"
            )
        for name, row in mix["by_request"].items():
            self.stdout.write(
                f"    {name:22} p50 {row['p50_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms,"
                f" {row['errors']} errors of {row['requests']}"
            )
        met = ratio is not None and ratio <= 4 and mix["errors"] == 0
        self.stdout.write(
            f"  minimal / mix throughput: {ratio:.2f}" if ratio else "  no throughput measured"
        )
        self.stdout.write(
            f"  target: 0 errors, within 4× of the minimal view: {'met' if met else 'MISSED'}"
        )
        target = Path(path) if path else Path(settings.VAR_DIR) / "bench" / f"load-{volume}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json_dumps(
                {
                    "volume": volume,
                    "users": users,
                    "seconds": seconds,
                    "mix": mix,
                    "minimal": minimal,
                    "ratio": ratio,
                    "met": met,
                }
            )
        )
        self.stdout.write(f"figures written to {target}")


def json_loads(text: str):
    return json.loads(text)


def json_dumps(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
