"""At the size of the archive: the volume generator is consistent and idempotent;
list pages and the case page cost the same number of queries whatever the number
of rows; the caseload export streams every case; the residence-status filter
reads a keyed hash, never the decrypted values."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from counselling import services
from counselling.exports import CHUNK
from counselling.models import (
    Case,
    CaseActivity,
    Client,
    CounsellingSession,
    Document,
    residence_index_of,
)
from counselling.shelters.models import BedOccupancy, Stay
from ngo import volume
from ngo.audit.models import AuditAction, AuditEvent
from ngo.lib import private_files
from tests.conftest import content_of, verified_client
from tests.factories import bulk_cases


def _seed_tiny():
    call_command("seed_volume", volume="tiny", stdout=io.StringIO())


@pytest.mark.django_db(transaction=False)
def test_the_volume_is_consistent_and_a_second_run_adds_nothing():
    _seed_tiny()
    tiny = volume.VOLUMES["tiny"]
    assert Client.objects.count() == tiny.clients
    assert Case.objects.count() == tiny.cases
    assert CounsellingSession.objects.count() == tiny.sessions
    # Every case is at its client's branch; every session's case too.
    assert not Case.objects.exclude(branch=F("client__branch")).exists()
    assert not CounsellingSession.objects.exclude(case__branch=F("case__client__branch")).exists()
    # Every stay is in a bed of its own shelter, for a case of its own client.
    assert Stay.objects.exists()
    assert not Stay.objects.exclude(bed__room__shelter=F("shelter")).exists()
    assert not Stay.objects.exclude(case__client=F("client")).exists()
    assert not Stay.objects.exclude(shelter__branch=F("case__branch")).exists()
    assert not BedOccupancy.objects.exclude(bed=F("stay__bed")).exists()
    # Every session has its timeline line; encrypted fields decrypt with the key.
    assert (
        CaseActivity.objects.filter(kind=CaseActivity.Kind.SESSION).count()
        == CounsellingSession.objects.count()
    )
    client = Client.objects.order_by("pk").first()
    assert client.narrative.startswith("Background of client")
    assert client.residence_status_index == residence_index_of(client.residence_status)
    document = Document.objects.first()
    assert private_files.read(Document.file_area, document.storage_name).startswith(b"%PDF")
    counts = {m: m.objects.count() for m in (Client, Case, CounsellingSession, AuditEvent)}

    _seed_tiny()
    assert {m: m.objects.count() for m in counts} == counts
    with pytest.raises(Exception, match="holds the tiny volume"):
        call_command("seed_volume", volume="small", stdout=io.StringIO())


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def _cases(make_case, count, **kwargs):
    return [make_case(**kwargs) for _ in range(count)]


def test_the_caseload_costs_the_same_queries_for_10_50_and_200_rows(personas, make_case):
    manager = verified_client(personas.manager_a)
    manager.get(reverse("counselling:caseload"))  # settle the session
    page = reverse("counselling:caseload")
    api = reverse("api:case-list")
    _cases(make_case, 10)
    few = (_queries(manager, page), _queries(manager, f"{api}?page_size=10"))
    _cases(make_case, 45)
    more = (_queries(manager, page), _queries(manager, f"{api}?page_size=50"))
    assert len(manager.get(f"{api}?page_size=50").json()["results"]) == 50
    assert more == few
    # The largest API page (200 rows; the page shows 50) costs no more either.
    assert _queries(manager, f"{api}?page_size=200") == few[1]
    assert max(few) <= 15


def test_the_case_page_costs_the_same_queries_whatever_the_number_of_sessions(personas, make_case):
    counsellor = personas.counsellor_a
    case = make_case(actor=counsellor)
    browser = verified_client(counsellor)
    page = reverse("counselling:case_detail", args=[case.pk])
    timeline = reverse("api:case-timeline", args=[case.pk])
    services.session_record(actor=counsellor, case=case, mode="phone", notes="first")
    browser.get(page)
    few = (_queries(browser, page), _queries(browser, timeline))
    for number in range(30):
        services.session_record(actor=counsellor, case=case, mode="phone", notes=f"n{number}")
    assert (_queries(browser, page), _queries(browser, timeline)) == few


def test_the_client_page_costs_the_same_queries_whatever_her_consents(personas, make_case):
    counsellor = personas.counsellor_a
    client = make_case(actor=counsellor).client
    browser = verified_client(counsellor)
    page = reverse("counselling:client_detail", args=[client.pk])

    def decide(purpose, **extra):
        services.consent_record(
            actor=counsellor,
            client=client,
            purpose=purpose,
            given=True,
            explanation_language="vi",
            **extra,
        )

    decide("store_data")
    browser.get(page)
    few = _queries(browser, page)
    decide("statistics")
    decide("share_referral", organisation_kinds=["hospital"])
    decide("store_data")
    assert client.consents.count() >= 4
    assert _queries(browser, page) == few
    # Each decision shows the texts she was shown.
    html = browser.get(page).content.decode()
    assert html.count("vi/") >= 3


def test_the_residence_filter_reads_the_keyed_hash_not_the_values(personas, make_case):
    make_case(residence_status="undocumented")
    kept = make_case(residence_status="F-6")
    services.client_update(
        actor=personas.counsellor_a, client=kept.client, residence_status="undocumented"
    )
    make_case(residence_status="E-9")
    api = verified_client(personas.manager_a)
    with CaptureQueriesContext(connection) as captured:
        response = api.get(reverse("api:case-list") + "?residence_status=undocumented")
    assert response.status_code == 200
    assert response.json()["count"] == 2
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "residence_status_index" in sql
    # The list never selects the encrypted status itself.
    assert '"counselling_client"."residence_status",' not in sql
    clients = verified_client(personas.counsellor_a)
    assert (
        clients.get(reverse("api:client-list") + "?residence_status=undocumented").json()["count"]
        == 2
    )


def test_the_caseload_export_streams_every_case_without_the_narrative(personas, branch_a):
    total = CHUNK + 150
    bulk_cases(branch_a, personas.counsellor_a, total)
    manager = verified_client(personas.manager_a)
    response = manager.get(reverse("counselling:caseload_export", args=["csv"]) + "?status=active")
    assert response.status_code == 200
    assert response.streaming
    assert response["Cache-Control"].startswith("no-store")
    body = content_of(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == total + 1
    assert "A secret summary" not in body
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=personas.manager_a).get()
    assert event.reason == f"csv:{total}"
    assert event.fields == ["caseload", "status"]

    api = manager.get(reverse("api:case-export-xlsx"))
    assert api.status_code == 200
    sheet = load_workbook(io.BytesIO(content_of(api)), read_only=True).active
    assert sum(1 for _row in sheet.iter_rows()) == total + 1


def test_only_managers_export_the_caseload_and_bad_filters_are_named(personas, make_case):
    make_case()
    counsellor = verified_client(personas.counsellor_a)
    assert counsellor.get(reverse("api:case-export-csv")).status_code == 403
    assert counsellor.get(reverse("counselling:caseload_export", args=["csv"])).status_code == 403
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.PERMISSION_DENIED, actor=personas.counsellor_a, reason="caseload"
        ).count()
        == 2
    )
    manager = verified_client(personas.manager_a)
    bad = manager.get(reverse("api:case-export-csv") + "?opened_from=yesterday")
    assert bad.status_code == 400
    assert "opened_from" in bad.json()["error"]["fields"]
    screen = manager.get(reverse("counselling:caseload_export", args=["csv"]) + "?opened_from=x")
    assert screen.status_code == 302
    assert screen["Location"].startswith(reverse("counselling:caseload"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.django_db(transaction=True)
def test_clients_recorded_before_the_index_get_it_when_migrating(personas):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    before = [("counselling", "0004_move_shelters_and_programmes")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("counselling", "Client")
        pk = old.objects.create(
            branch_id=personas.counsellor_a.branches.first().pk,
            case_code="SEO-2019-0001",
            name_romanised="Before",
            residence_status="undocumented",
            created_by_id=personas.counsellor_a.pk,
        ).pk
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
        client = Client.objects.get(pk=pk)
        assert client.residence_status == "undocumented"
        assert client.residence_status_index == residence_index_of("undocumented")
    finally:
        MigrationExecutor(connection).migrate(latest)
