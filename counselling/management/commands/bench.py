"""Hamkke against the raw SQL (or COPY) doing the same work, side by side.

    python manage.py bench --volume small|archive [--requests 30] [--json PATH]
                           [--only statistics]

Runs on its own database beside the configured one (`<name>_bench_<volume>` on
PostgreSQL, `var/bench-<volume>.sqlite3` on SQLite), which it creates, migrates
and fills with `seed_volume` the first time. Each measure alternates Hamkke's
request with its baseline in one loop, and prints p50/p95 of both and the ratio
of the medians; the same figures go to `var/bench/<volume>.json`. Prints
figures and whether each target holds; asserts nothing about time.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counselling.management.commands import _bench_sql as sql
from counselling.management.commands import _bench_support as support


@dataclass
class Figure:
    measure: str
    p50_ms: float
    p95_ms: float
    baseline: str
    baseline_p50_ms: float | None
    baseline_p95_ms: float | None
    ratio: float | None
    target: str
    met: bool | None
    queries: int | None = None
    note: str = ""


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000


def _memory_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Command(BaseCommand):
    help = "Time pages, API lists and exports against raw SQL at a named volume."

    def add_arguments(self, parser):
        parser.add_argument("--volume", choices=["small", "archive"], default="small")
        parser.add_argument("--requests", type=int, default=0, help="per measure")
        parser.add_argument("--json", default="", help="where to write the figures")
        parser.add_argument(
            "--only", choices=["statistics"], default="", help="run this measure alone"
        )

    def handle(self, *args, volume, requests, json: str, only: str = "", **options):
        self.requests = requests or (20 if volume == "archive" else 15)
        self.figures: list[Figure] = []
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        # Pages render without collectstatic (the file names are not hashed).
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        # The test client's host, and no mail leaves (without Django's test set-up,
        # which instruments every template render).
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        support.use_database(volume, self.stdout)
        self.stdout.write(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        self._counts()
        if only == "statistics":
            self._statistics()
            self._print()
            self._write(f"{volume}-statistics", json)
            return
        pages = self._measure_all(volume)
        if volume == "archive":
            support.use_database("small", self.stdout)
            small = self._case_pages(prefix="small: ")
            for name, archive_p50 in pages.items():
                self._ratio_to_small(name, archive_p50, small[name])
        self._print()
        self._write(volume, json)

    def _counts(self) -> None:
        rows = []
        for label in ("counselling.Client", "counselling.Case", "counselling.CounsellingSession"):
            rows.append(f"{apps.get_model(label).objects.count():,} {label.split('.')[1]}")
        self.stdout.write("volume: " + ", ".join(rows))

    # -- measuring ---------------------------------------------------------------

    def _loop(self, hamkke, baseline=None) -> tuple[list[float], list[float]]:
        hamkke()  # warm caches and connections
        if baseline:
            baseline()
        ours, theirs = [], []
        for _ in range(self.requests):
            started = time.perf_counter()
            hamkke()
            ours.append(time.perf_counter() - started)
            if baseline:
                started = time.perf_counter()
                baseline()
                theirs.append(time.perf_counter() - started)
        return ours, theirs

    def _get(self, client: Client, url: str):
        def run():
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if getattr(response, "streaming", False):
                for _chunk in response.streaming_content:
                    pass
            return response

        return run

    def _queries(self, run) -> int:
        with CaptureQueriesContext(connection) as captured:
            run()
        return len(captured.captured_queries)

    def _compare(self, name, run, baseline, baseline_name, *, target, limit):
        queries = self._queries(run)
        ours, theirs = self._loop(run, baseline)
        p50, base = _p(ours, 0.5), _p(theirs, 0.5)
        ratio = p50 / base if base else None
        self.figures.append(
            Figure(
                measure=name,
                p50_ms=round(p50, 1),
                p95_ms=round(_p(ours, 0.95), 1),
                baseline=baseline_name,
                baseline_p50_ms=round(base, 2),
                baseline_p95_ms=round(_p(theirs, 0.95), 2),
                ratio=round(ratio, 2) if ratio else None,
                target=target,
                met=(ratio is not None and ratio <= limit) if limit else None,
                queries=queries,
            )
        )
        return p50

    def _measure_all(self, volume: str) -> dict[str, float]:
        seoul, manager, counsellor, officer = support.people()
        as_manager, as_counsellor = support.signed_in(manager), support.signed_in(counsellor)
        mine = [seoul.id]
        lists = [
            ("caseload page, manager, status=active", as_manager, "counselling:caseload", "", None),
            ("cases API, manager, status=active", as_manager, "api:case-list", "", None),
            (
                "cases API, counsellor, status=active",
                as_counsellor,
                "api:case-list",
                "",
                counsellor.id,
            ),
        ]
        for name, client, route, _extra, only_for in lists:
            url = reverse(route) + "?status=active"
            self._compare(
                name,
                self._get(client, url),
                lambda only_for=only_for: sql.case_list(mine, status="active", user_id=only_for),
                "one SELECT of the same 50 rows with their total",
                target="≤ 2× raw SQL",
                limit=2.0,
            )
        narrow = "?status=active&risk_level=high&case_type=domestic_violence"
        self._compare(
            "cases API, manager, narrow filter",
            self._get(as_manager, reverse("api:case-list") + narrow),
            lambda: sql.case_list(
                mine, status="active", risk="high", case_type="domestic_violence"
            ),
            "one SELECT of the same rows",
            target="≤ 2× raw SQL",
            limit=2.0,
        )
        plain = self._get(as_manager, reverse("api:case-list"))
        self._compare(
            "cases API, manager, residence_status=undocumented",
            self._get(as_manager, reverse("api:case-list") + "?residence_status=undocumented"),
            plain,
            "the same list without the filter",
            target="≤ 2× the list without it",
            limit=2.0,
        )
        pages = self._case_pages()
        self._exports(as_manager, support.signed_in(officer), mine)
        self._statistics()
        return pages

    def _case_pages(self, prefix: str = "") -> dict[str, float]:
        seoul, _manager, counsellor, _officer = support.people()
        case_id, client_id, sessions = sql.case_with_sessions(counsellor.id, seoul.id, 50)
        client = support.signed_in(counsellor)
        results = {}
        for name, url in (
            ("case page (HTML, timeline)", reverse("counselling:case_detail", args=[case_id])),
            ("client page (HTML)", reverse("counselling:client_detail", args=[client_id])),
            ("timeline API", reverse("api:case-timeline", args=[case_id])),
        ):
            results[name] = self._compare(
                f"{prefix}{name}, {sessions} sessions",
                self._get(client, url),
                lambda: sql.case_rows(case_id, client_id),
                "SELECTs of all the case's rows",
                target="≤ 15 queries",
                limit=None,
            )
            figure = self.figures[-1]
            figure.met = figure.queries is not None and figure.queries <= 15
        return results

    def _ratio_to_small(self, name: str, archive_p50: float, small_p50: float) -> None:
        ratio = archive_p50 / small_p50 if small_p50 else None
        self.figures.append(
            Figure(
                measure=f"{name}: archive against small",
                p50_ms=round(archive_p50, 1),
                p95_ms=round(archive_p50, 1),
                baseline="the same page at the small volume",
                baseline_p50_ms=round(small_p50, 1),
                baseline_p95_ms=None,
                ratio=round(ratio, 2) if ratio else None,
                target="≤ 1.3× small",
                met=ratio is not None and ratio <= 1.3,
            )
        )

    def _exports(self, as_manager: Client, as_officer: Client, mine: list[int]) -> None:
        for name, client, url, copy, count in (
            (
                "caseload CSV export, manager, every case",
                as_manager,
                reverse("counselling:caseload_export", args=["csv"]),
                sql.case_export_copy(mine),
                sql.count_cases(mine),
            ),
            (
                "recommendations CSV export, every one",
                as_officer,
                reverse("policy_monitor:recommendation_export", args=["csv"]),
                sql.recommendation_copy(),
                apps.get_model("policy_monitor", "Recommendation").objects.count(),
            ),
        ):
            run = self._get(client, url)
            rss = _memory_kb("VmRSS")
            Path("/proc/self/clear_refs").write_text("5")  # reset the peak
            started = time.perf_counter()
            run()
            ours = time.perf_counter() - started
            growth_mb = (_memory_kb("VmHWM") - rss) / 1024
            started = time.perf_counter()
            copied = sql.copy_out(copy)
            theirs = time.perf_counter() - started
            rate, base_rate = count / ours, copied / theirs if theirs else 0
            share = rate / base_rate if base_rate else None
            self.figures.append(
                Figure(
                    measure=f"{name} ({count:,} rows)",
                    p50_ms=round(ours * 1000, 1),
                    p95_ms=round(ours * 1000, 1),
                    baseline="COPY of the same columns"
                    if connection.vendor == "postgresql"
                    else "SELECT of the same columns",
                    baseline_p50_ms=round(theirs * 1000, 1),
                    baseline_p95_ms=None,
                    ratio=round(1 / share, 2) if share else None,
                    target="≥ 1/3 of the baseline's rows/s, memory growth < 50 MB",
                    met=bool(share and share >= 1 / 3 and growth_mb < 50),
                    note=f"{rate:,.0f} rows/s against {base_rate:,.0f}; "
                    f"peak memory growth {growth_mb:.1f} MB",
                )
            )

    def _statistics(self) -> None:
        """A shadow-report dataset, branch × year, women + cases + sessions, over
        every month of the volume: Hamkke's generation against three raw GROUP BY
        statements, and the worker's peak memory growth while generating."""
        from django.db.models import Max, Min

        from counselling.models import Case, CounsellingSession
        from policy_monitor.statistics import services as statistics

        if connection.vendor != "postgresql":
            self.stdout.write("statistics dataset: measured on PostgreSQL only")
            return
        _seoul, _manager, _counsellor, officer = support.people()
        first = Case.objects.aggregate(day=Min("opened_on"))["day"]
        last = CounsellingSession.objects.aggregate(at=Max("started_at"))["at"]
        dataset = statistics.dataset_create(
            actor=officer,
            title="Benchmark: branch × year",
            period_from=first,
            period_to=last.date() if last else first,
            dimensions=["branch", "year"],
            measures=["clients", "cases", "sessions"],
            generate=False,
        )
        window = (dataset.period_from, dataset.period_to)

        def generate():
            return statistics.compute_tables(dataset)

        rss = _memory_kb("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # reset the peak
        generate()
        growth_mb = max(0.0, (_memory_kb("VmHWM") - rss) / 1024)
        requests, self.requests = self.requests, min(self.requests, 5)
        self._compare(
            "statistics dataset, branch × year, women + cases + sessions",
            generate,
            lambda: sql.statistics_by_branch_and_year(*window),
            "three raw GROUP BY statements",
            target="≤ 1.5× raw SQL, memory growth < 200 MB",
            limit=1.5,
        )
        self.requests = requests
        figure = self.figures[-1]
        figure.met = bool(figure.met and growth_mb < 200)
        figure.note = f"peak memory growth {growth_mb:.1f} MB during one generation"
        type(dataset).objects.filter(pk=dataset.pk).delete()

    # -- output ------------------------------------------------------------------

    def _print(self) -> None:
        self.stdout.write("")
        header = (
            f"{'measure':58} {'p50 ms':>9} {'p95 ms':>9} {'base p50':>9} {'ratio':>6} {'q':>3}"
            "  target"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for f in self.figures:
            mark = {True: "met", False: "MISSED", None: ""}[f.met]
            base = f"{f.baseline_p50_ms:9.2f}" if f.baseline_p50_ms is not None else " " * 9
            ratio = f"{f.ratio:6.2f}" if f.ratio is not None else " " * 6
            queries = f"{f.queries:3d}" if f.queries is not None else "   "
            self.stdout.write(
                f"{f.measure[:58]:58} {f.p50_ms:9.1f} {f.p95_ms:9.1f} {base} {ratio} {queries}"
                f"  {f.target} {mark}"
            )
            if f.note:
                self.stdout.write(f"{'':60}{f.note}")

    def _write(self, volume: str, path: str) -> None:
        target = Path(path) if path else Path(settings.VAR_DIR) / "bench" / f"{volume}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            json.dumps(
                {
                    "volume": volume,
                    "database": connection.vendor,
                    "requests_per_measure": self.requests,
                    "figures": [asdict(f) for f in self.figures],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        self.stdout.write(f"\nfigures written to {target}")
