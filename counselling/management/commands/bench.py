"""Benchmarks of the foundation, in a throwaway test database.

    python manage.py bench [--staff 2000] [--requests 200]

Prints figures; asserts nothing about time (timing goals live here, not in tests).
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import setup_test_environment, teardown_test_environment
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


class Command(BaseCommand):
    help = "Measure audit writes, scoped lists and audited detail reads."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=2000)
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--audit-rows", type=int, default=5000)
        parser.add_argument("--cases", type=int, default=500)

    def handle(self, *args, staff, requests, audit_rows, cases, **options):
        setup_test_environment()
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            self._run(staff, requests, audit_rows)
            self._run_counselling(cases, requests)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def _run(self, staff_count, request_count, audit_rows):
        from django.conf import settings

        from ngo.accounts.models import Branch, User
        from ngo.accounts.roles import Role
        from ngo.audit.models import AuditAction
        from ngo.audit.services import audit_record

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        self.stdout.write(f"database: {connection.vendor}")
        branches = [
            Branch.objects.create(code=code, name_ko=code, name_en=code)
            for code in ("HQ", "SEO", "BUS", "DAE", "GWJ", "DJN", "GMH")
        ]
        users = User.objects.bulk_create(
            [
                User(email=f"s{i}@bench.invalid", full_name=f"Staff {i}", role=Role.COUNSELLOR)
                for i in range(staff_count)
            ]
        )
        through = User.branches.through
        through.objects.bulk_create(
            [through(user_id=u.pk, branch_id=branches[i % 7].pk) for i, u in enumerate(users)]
        )
        manager = User.objects.create_user(
            "manager@bench.invalid", "x" * 16, full_name="Manager", role=Role.BRANCH_MANAGER
        )
        manager.branches.set([branches[1]])
        admin = User.objects.create_user(
            "admin@bench.invalid", "x" * 16, full_name="Admin", role=Role.ADMINISTRATOR
        )
        self.stdout.write(f"staff: {staff_count} across 7 branches")

        started = time.perf_counter()
        for i in range(audit_rows):
            with transaction.atomic():
                audit_record(
                    action=AuditAction.READ,
                    actor=admin,
                    object_type="accounts.user",
                    object_id=users[i % staff_count].pk,
                )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"audit writes: {audit_rows} in {elapsed:.2f} s = {audit_rows / elapsed:.0f}/s "
            "(one transaction each)"
        )

        for label, user, path in (
            ("staff list, branch manager (scoped, page of 50)", manager, "/api/v1/staff/"),
            ("staff list, administrator (all, page of 50)", admin, "/api/v1/staff/"),
            ("staff detail, audited read", manager, None),
            ("audit list, administrator (page of 50)", admin, "/api/v1/audit-events/"),
        ):
            client = self._client(user)
            own = list(manager.branches.values_list("staff__pk", flat=True))
            samples = []
            for i in range(request_count):
                url = path or f"/api/v1/staff/{own[i % len(own)]}/"
                t = time.perf_counter()
                response = client.get(url)
                samples.append(time.perf_counter() - t)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
            self.stdout.write(f"{label}: {request_count} requests, {_percentiles(samples)}")

    def _run_counselling(self, case_count, request_count):
        from counselling import services
        from ngo.accounts.models import Branch, User

        branch = Branch.objects.get(code="SEO")
        manager = User.objects.get(email="manager@bench.invalid")
        counsellor = User.objects.create_user(
            "counsellor@bench.invalid", "x" * 16, full_name="Counsellor", role="counsellor"
        )
        counsellor.branches.set([branch])
        started = time.perf_counter()
        case_ids = []
        for i in range(case_count):
            _client, case = services.client_intake(
                actor=counsellor,
                branch=branch,
                client={
                    "name_romanised": f"Bench Client {i}",
                    "nationality": "VN",
                    "languages": ["vi"],
                    "residence_status": "F-6",
                    "phone": f"010-{i:04d}-0000",
                },
                case={"case_types": ["domestic_violence"], "restricted": i % 10 == 0},
                confirm_not_duplicate=True,
            )
            services.session_record(actor=counsellor, case=case, mode="phone", notes="bench")
            case_ids.append(case.pk)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"intake + first session: {case_count} in {elapsed:.2f} s = "
            f"{case_count / elapsed:.0f}/s"
        )
        for label, user, url in (
            ("caseload API, manager (page of 50)", manager, lambda i: "/api/v1/cases/"),
            (
                "caseload API, residence-status filter (decrypts in Python)",
                manager,
                lambda i: "/api/v1/cases/?residence_status=F-6",
            ),
            ("caseload page (HTML, page of 50)", manager, lambda i: "/counselling/caseload/"),
            (
                "case detail API, audited read",
                counsellor,
                lambda i: f"/api/v1/cases/{case_ids[i % len(case_ids)]}/",
            ),
            (
                "case page (HTML) with timeline",
                counsellor,
                lambda i: f"/counselling/cases/{case_ids[i % len(case_ids)]}/",
            ),
        ):
            client = self._client(user)
            samples = []
            for i in range(request_count):
                t = time.perf_counter()
                response = client.get(url(i))
                samples.append(time.perf_counter() - t)
                if response.status_code != 200:
                    raise SystemExit(f"{url(i)} answered {response.status_code}")
            self.stdout.write(f"{label}: {request_count} requests, {_percentiles(samples)}")

    def _client(self, user):
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )[0]
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client
