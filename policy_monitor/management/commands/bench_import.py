"""How fast the worker imports a UHRI export, in a throwaway test database.

    python manage.py bench_import [--rows 30000] [--format xlsx] [--json PATH]

Builds a synthetic UHRI "Export to Excel" file of N rows (UHRI's columns and
cell forms; one row in 500 names an unknown body and is refused), then runs the
import job as the worker does, three times: into an empty table (every row
created), the same file again (every row unchanged), and a file where every row
changed (every row updated). The baseline is a plain bulk INSERT of the same
recommendation rows (executemany, no links, no audit, rolled back); the ratio says
how many times longer the import takes than that. Prints figures; asserts nothing
about time (timing goals live in the README, not in tests).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import tempfile
import time
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import (
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)

from policy_monitor import uhri

BODIES = [
    ("CEDAW", "CEDAW/C/KOR/CO/{n}"),
    ("Committee on the Elimination of Racial Discrimination", "CERD/C/KOR/CO/{n}"),
    ("CESCR", "E/C.12/KOR/CO/{n}"),
    ("Human Rights Committee", "CCPR/C/KOR/CO/{n}"),
    ("CRC", "CRC/C/KOR/CO/{n}"),
    ("UPR", "A/HRC/{n}/11"),
    ("SR on trafficking in persons, especially women and children", "A/HRC/{n}/34/Add.1"),
]
THEMES = [
    "Women's rights",
    "Migrants",
    "Gender-based violence",
    "Domestic violence",
    "Trafficking in persons",
    "Racial discrimination",
    "Equality & non-discrimination",
    "Access to justice",
    "Right to work",
    "Right to health",
    "Family life",
    "Nationality",
    *(f"Synthetic theme {n}" for n in range(20)),  # not in the thesaurus: created once
]
PERSONS = [
    "Women",
    "Girls",
    "Migrants",
    "Migrant workers",
    "Non-citizens",
    "Children",
    "Victims of trafficking",
    "Domestic workers",
]
SDGS = ["5.1 End discrimination", "5.2 Eliminate violence", "8.7", "8.8 Protect labour rights"]
SDGS += ["10.7 Facilitate orderly migration", "16.2", "16.3 Promote the rule of law", "1.3"]
PARAGRAPHS_PER_DOCUMENT = 150


def synthetic_rows(count: int, *, changed: bool = False) -> list[list]:
    """`count` rows as UHRI exports them; `changed` gives every row another
    position or date, so that a second import updates each one."""
    rows = []
    for i in range(count):
        body, symbol = BODIES[i % len(BODIES)]
        document, paragraph = divmod(i // len(BODIES), PARAGRAPHS_PER_DOCUMENT)
        upr = body == "UPR"
        number = f"132.{paragraph + 1}" if upr else str(paragraph + 1)
        if i % 500 == 499:
            body = "Committee on Enforced Disappearances"  # unknown: refused
        year = 2008 + i % 16
        day = 1 + i % 27 + (1 if changed else 0)
        date = 39448 + (i * 37) % 5800 + (1 if changed else 0)  # Excel serials, 2008-2023
        rows.append(
            [
                f"{number}. The Committee recommends that the State party ensure that migrant "
                f"women have access to shelters, legal aid and interpretation irrespective "
                f"of their residence status, and that it monitor the measures taken ({i}).",
                "- Republic of Korea",
                body,
                symbol.format(n=document + 1),
                "\n".join(f"- {THEMES[(i + k * 7) % len(THEMES)]}" for k in range(1 + i % 4)),
                "\n".join(f"- {PERSONS[(i + k * 3) % len(PERSONS)]}" for k in range(1 + i % 3)),
                "\n".join(f"- {SDGS[(i + k) % len(SDGS)]}" for k in range(i % 3)),
                date if i % 2 else f"{year}-{1 + i % 12:02d}-{day:02d}",
                "- Philippines\n- Viet Nam" if upr else "",
                ("Noted" if changed else "Supported") if upr else "",
                "Recommendation" if upr else "Concluding Observations",
                str(7_000_000 + i),
                str(20 + document) if upr else "",
            ]
        )
    return rows


def synthetic_file(rows: list[list], file_format: str) -> bytes:
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(uhri.EXPORT_HEADER)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Recommendations")
    sheet.append(uhri.EXPORT_HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Measure the UHRI import on the worker against a plain bulk INSERT."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=30_000)
        parser.add_argument("--format", dest="file_format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument(
            "--json", dest="json_path", metavar="PATH", help="also write the figures as JSON"
        )

    def handle(self, *args, rows, file_format, json_path=None, **options):
        if rows < 1:
            raise CommandError("--rows must be at least 1.")
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with (
                tempfile.TemporaryDirectory() as private,
                override_settings(PRIVATE_MEDIA_ROOT=private),
            ):
                figures = self._run(rows, file_format)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()
        if json_path:
            Path(json_path).write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
            self.stdout.write(f"figures written to {json_path}")

    def _run(self, count: int, file_format: str) -> dict:
        from celery import current_app

        from ngo.accounts.models import User
        from ngo.accounts.roles import Role

        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        # The benchmark runs the job itself: the queued message goes nowhere.
        current_app.conf.broker_url = "memory://localhost//"
        officer = User.objects.create_user(
            "policy@bench.invalid", "x" * 16, full_name="Policy", role=Role.POLICY_OFFICER
        )
        figures = {"database": connection.vendor, "rows": count, "format": file_format}
        self.stdout.write(f"database: {connection.vendor}; {count} rows as {file_format}")

        started = time.perf_counter()
        data = synthetic_file(synthetic_rows(count), file_format)
        changed = synthetic_file(synthetic_rows(count, changed=True), file_format)
        self.stdout.write(
            f"built the files: {len(data) / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
        )
        started, cpu = time.perf_counter(), time.process_time()
        uhri.read_table(f"bench.{file_format}", data)
        figures["read_seconds"] = time.perf_counter() - started
        figures["read_cpu_seconds"] = time.process_time() - cpu
        self.stdout.write(
            f"reading the file alone: {figures['read_seconds']:.2f} s "
            f"(CPU {figures['read_cpu_seconds']:.1f} s)"
        )

        for label, key, content in (
            ("first import (created)", "import", data),
            ("same file again (unchanged)", "reimport", data),
            ("every row changed (updated)", "update", changed),
        ):
            figures[key] = self._import(officer, content, file_format, count)
            result = figures[key]
            self.stdout.write(
                f"{label}: {result['seconds']:.2f} s = {result['rows_per_second']:.0f} rows/s "
                f"(worker CPU {result['worker_cpu_seconds']:.1f} s; "
                f"created {result['created']}, updated {result['updated']}, "
                f"unchanged {result['unchanged']}, refused {result['refused']})"
            )
        figures["baseline_insert"] = self._baseline()
        baseline = figures["baseline_insert"]
        figures["ratio"] = figures["import"]["seconds"] / baseline["seconds"]
        self.stdout.write(
            f"baseline, bulk INSERT of the same {baseline['rows']} rows: "
            f"{baseline['seconds']:.2f} s = {baseline['rows_per_second']:.0f} rows/s"
        )
        self.stdout.write(f"first import / bulk INSERT: {figures['ratio']:.1f}x")
        return figures

    def _import(self, officer, data: bytes, file_format: str, count: int) -> dict:
        from policy_monitor import imports
        from policy_monitor.models import ImportJob, ImportStatus
        from policy_monitor.tasks import run_import_job

        upload = SimpleUploadedFile(f"bench.{file_format}", data)
        job = imports.import_job_create(actor=officer, upload=upload, run_inline=False)
        started, cpu = time.perf_counter(), time.process_time()
        run_import_job.apply(args=(job.pk,))  # the task as the worker runs it
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        job = ImportJob.objects.get(pk=job.pk)
        if job.status != ImportStatus.DONE:
            raise CommandError(f"the import ended {job.status}: {job.error}")
        return {
            "seconds": seconds,
            "worker_cpu_seconds": cpu,
            "rows_per_second": count / seconds,
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
            "refused": job.refused_count,
        }

    def _baseline(self) -> dict:
        """A plain INSERT of the rows the import stored (another annotation id
        each), in one executemany, rolled back."""
        from policy_monitor.models import Recommendation

        fields = [f for f in Recommendation._meta.concrete_fields if not f.primary_key]
        table = connection.ops.quote_name(Recommendation._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        rows = []
        for record in Recommendation.objects.order_by("pk").iterator(chunk_size=2000):
            record.uhri_annotation_id = f"{record.uhri_annotation_id}-copy"
            rows.append(
                [f.get_db_prep_save(getattr(record, f.attname), connection) for f in fields]
            )
        with transaction.atomic():
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            seconds = time.perf_counter() - started
            transaction.set_rollback(True)
        return {"rows": len(rows), "seconds": seconds, "rows_per_second": len(rows) / seconds}
