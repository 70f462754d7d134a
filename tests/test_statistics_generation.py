"""Generating shadow-report datasets from real case records: who is counted
(consent), which branches and months, encrypted residence status, age bands,
the Celery task (idempotent, stale claims), publishing, the exports (no
personal data in them or in the audit) and query counts."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from counselling import services
from counselling.models import Client, ConsentPurpose
from counselling.services import consent_in_force
from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor.statistics import services as dataset_services
from policy_monitor.statistics.models import DatasetStatus, Release, StatisticsDataset
from policy_monitor.statistics.tasks import generate_dataset, generate_waiting_datasets
from tests import statistics_oracle


@pytest.fixture(autouse=True)
def _one_day(request):
    """Each test counts the women of "today": hold the clock still for the test,
    so that one started at 23:59 does not make them on one day and count another."""
    with time_machine.travel(timezone.now(), tick=False):
        request.module.TODAY = timezone.localdate()
        yield


TODAY = timezone.localdate()  # set again for each test by _one_day


def consent(case, given=True, actor=None):
    return services.consent_record(
        actor=actor or case.created_by,
        client=case.client,
        purpose=ConsentPurpose.STATISTICS,
        given=given,
        explanation_language="vi",
    )


@pytest.fixture
def women(make_case, personas, branch_b):
    """Seven consenting women at SEO (one with two sessions), two at BUS,
    one who never answered and one who withdrew her consent."""
    cases = []
    for n in range(7):
        case = make_case(
            name_romanised=f"Tran Thi Mai {n}",
            nationality="VN" if n < 5 else "PH",
            residence_status="F-6" if n < 6 else "undocumented",
            # 1 January: her age in years is the same on every day of the year.
            birth_date=date(TODAY.year - 25 - n, 1, 1),
            case_types=["domestic_violence"] if n % 2 else ["domestic_violence", "residence"],
        )
        consent(case)
        cases.append(case)
    services.session_record(
        actor=personas.counsellor_a, case=cases[0], mode="phone", services=["legal_advice"]
    )
    services.session_record(
        actor=personas.counsellor_a, case=cases[0], mode="in_person", services=["counselling"]
    )
    for n in range(2):
        case = make_case(actor=personas.counsellor_b, name_romanised=f"Busan Woman {n}")
        consent(case)
        cases.append(case)
    silent = make_case(name_romanised="Never Asked")
    withdrawn = make_case(name_romanised="Changed Her Mind")
    consent(withdrawn, True)
    consent(withdrawn, False)
    return {"consenting": cases, "silent": silent, "withdrawn": withdrawn}


def make_dataset(actor, **values):
    defaults = {
        "title": "CEDAW annex",
        "period_from": TODAY,
        "period_to": TODAY,
        "dimensions": ["nationality"],
        "measures": ["clients", "cases", "sessions"],
        "min_cell_size": 3,
        "generate": False,
    }
    return dataset_services.dataset_create(actor=actor, **{**defaults, **values})


def generated(actor, **values):
    dataset = make_dataset(actor, **values)
    dataset_services.dataset_request_generation(actor=actor, dataset=dataset)
    assert generate_dataset.apply(args=[dataset.pk]).get() == "generated"
    dataset.refresh_from_db()
    return dataset


def test_only_women_with_statistics_consent_in_force_are_counted(women, personas):
    dataset = generated(personas.policy_officer)
    assert dataset.status == DatasetStatus.GENERATED
    assert dataset.counted_clients == 9
    assert dataset.excluded_clients == 2
    clients = dataset.tables["clients"]
    # Withheld as in every table of the dataset: the sessions table counts 2.
    assert clients["total"] == "x"
    assert dataset.tables["sessions"]["total"] == "<3"
    # Same rule as the counselling app's consent_in_force.
    for client in Client.objects.all():
        in_force = consent_in_force(client, ConsentPurpose.STATISTICS) is not None
        assert in_force == (client.name_romanised not in ("Never Asked", "Changed Her Mind"))


def test_cases_and_sessions_are_counted_and_small_cells_withheld(women, personas):
    dataset = generated(personas.policy_officer, min_cell_size=5)
    cases = dataset.tables["cases"]
    assert cases["row_codes"] == ["VN", "_other"]  # PH (2 women) merged into "other"
    assert cases["total"] == "x"  # 9, withheld as the sessions total (2) is
    sessions = dataset.tables["sessions"]
    assert sessions["total"] == "<5"  # two sessions: fewer than k
    assert dataset.tables["clients"]["cells"][1] == ["<5"]  # "other": 4 < 5


def test_encrypted_residence_status_and_age_bands(women, personas):
    # Crossed, the 30-39 column holds two women, one F-6 and the undocumented
    # one: "<3" and "<3" under a "<3" total would pin each to 1. Refused.
    crossed = make_dataset(
        personas.policy_officer, dimensions=["residence_status", "age_band"], measures=["clients"]
    )
    dataset_services.dataset_request_generation(actor=personas.policy_officer, dataset=crossed)
    assert generate_dataset.apply(args=[crossed.pk]).get() == "refused"
    crossed.refresh_from_db()
    assert (crossed.status, crossed.refusal, crossed.tables) == ("refused", "unsafe", {})
    ages = generated(personas.policy_officer, dimensions=["age_band"], measures=["clients"])
    table = ages.tables["clients"]
    # Bands only: every band is listed, women fall in 20-29, 30-39 and "not recorded".
    assert table["row_codes"][:6] == ["under_20", "20_29", "30_39", "40_49", "50_59", "60_plus"]
    in_use = {c for c, n in zip(table["row_codes"], table["row_totals"], strict=True) if n != 0}
    assert in_use == {"20_29", "30_39", "_unknown"}
    dataset = generated(
        personas.policy_officer, dimensions=["residence_status"], measures=["clients"]
    )
    table = dataset.tables["clients"]
    assert "F-6" in table["row_codes"] and "undocumented" in table["row_codes"]
    # One undocumented woman: withheld, and F-6 with her (else total - F-6 gives her away).
    undocumented = table["row_codes"].index("undocumented")
    f6 = table["row_codes"].index("F-6")
    assert table["row_totals"][undocumented] == "<3" and table["row_totals"][f6] == "x"
    assert table["total"] == 9
    # The decrypted values behind it: 6 at SEO and 2 at BUS hold F-6.
    units, _counted, _excluded = statistics_oracle.build_units(
        dataset, statistics_oracle.gather(dataset)
    )
    statuses = [unit["residence_status"] for unit in units["clients"]]
    assert statuses.count("F-6") == 8 and statuses.count("undocumented") == 1


def test_branches_and_period_limit_what_is_counted(women, personas, branch_a, branch_b):
    seoul = generated(personas.policy_officer, branches=[branch_a], measures=["clients"])
    assert seoul.tables["clients"]["total"] == 7
    # Busan holds 2 consenting women (k=3), last year none: refused before counting.
    busan = make_dataset(personas.policy_officer, branches=[branch_b], measures=["clients"])
    units, counted, _excluded = statistics_oracle.build_units(
        busan, statistics_oracle.gather(busan)
    )
    assert counted == 2
    with translation.override("en"), pytest.raises(ValidationError, match="Fewer than 3 women"):
        dataset_services.dataset_request_generation(actor=personas.policy_officer, dataset=busan)
    last_year = make_dataset(
        personas.policy_officer,
        period_from=date(TODAY.year - 1, 1, 1),
        period_to=date(TODAY.year - 1, 12, 31),
    )
    assert statistics_oracle.build_units(last_year, statistics_oracle.gather(last_year))[1] == 0
    with translation.override("en"), pytest.raises(ValidationError, match="No woman in this scope"):
        dataset_services.dataset_request_generation(
            actor=personas.policy_officer, dataset=last_year
        )


def test_period_is_whole_months_and_k_never_below_three(personas):
    dataset = make_dataset(
        personas.policy_officer, period_from=date(2025, 1, 17), period_to=date(2025, 2, 3)
    )
    assert (dataset.period_from, dataset.period_to) == (date(2025, 1, 1), date(2025, 2, 28))
    with pytest.raises(ValidationError) as error:
        make_dataset(personas.policy_officer, min_cell_size=2)
    assert "min_cell_size" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_dataset(personas.policy_officer, dimensions=["nationality", "nationality"])
    with pytest.raises(ValidationError):
        make_dataset(personas.policy_officer, dimensions=["a", "b", "c"])
    with pytest.raises(ValidationError):
        make_dataset(personas.policy_officer, measures=[])
    with transaction.atomic(), pytest.raises(IntegrityError):
        StatisticsDataset.objects.filter(pk=dataset.pk).update(min_cell_size=1)


def test_generation_is_idempotent_and_takes_over_a_stale_claim(women, personas):
    dataset = make_dataset(personas.policy_officer)
    assert generate_dataset.apply(args=[dataset.pk]).get() == "skipped"  # a draft
    dataset_services.dataset_request_generation(actor=personas.policy_officer, dataset=dataset)
    # A worker claimed it and died.
    StatisticsDataset.objects.filter(pk=dataset.pk).update(
        generation_started_at=timezone.now() - timedelta(minutes=1)
    )
    assert generate_dataset.apply(args=[dataset.pk]).get() == "skipped"
    assert generate_waiting_datasets.apply().get() == 0
    StatisticsDataset.objects.filter(pk=dataset.pk).update(
        generation_started_at=timezone.now() - timedelta(hours=1)
    )
    assert generate_waiting_datasets.apply().get() == 1
    assert generate_dataset.apply(args=[dataset.pk]).get() == "skipped"  # twice: no harm
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.GENERATED
    events = AuditEvent.objects.filter(object_id=str(dataset.pk), reason="generated")
    assert events.count() == 1
    assert events.get().actor == personas.policy_officer


def test_queueing_sends_the_task_after_commit(women, personas, django_capture_on_commit_callbacks):
    dataset = make_dataset(personas.policy_officer)
    with django_capture_on_commit_callbacks() as callbacks:
        dataset_services.dataset_request_generation(actor=personas.policy_officer, dataset=dataset)
    assert len(callbacks) == 1
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.QUEUED


def test_a_published_dataset_is_frozen(women, personas):
    dataset = generated(personas.policy_officer)
    dataset_services.dataset_publish(actor=personas.policy_officer, dataset=dataset)
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED
    with pytest.raises(ValidationError):
        dataset_services.dataset_request_generation(actor=personas.admin, dataset=dataset)
    with pytest.raises(ValidationError):
        dataset_services.dataset_publish(actor=personas.admin, dataset=dataset)


def test_generation_queries_do_not_grow_with_the_number_of_women(make_case, personas):
    def queries_for(n):
        for i in range(n):
            case = make_case(name_romanised=f"Q {n}-{i}", nationality="KH")
            consent(case)
            services.session_record(actor=personas.counsellor_a, case=case, mode="phone")
        dataset = make_dataset(personas.policy_officer, dimensions=["branch", "has_children"])
        with CaptureQueriesContext(connection) as captured:
            tables, counted, _excluded = dataset_services.compute_tables(dataset)
        return len(captured), counted

    few, counted_few = queries_for(3)
    many, counted_many = queries_for(6)
    assert counted_many == counted_few + 6
    # The incidents of the cases: one query; the ledger and the branches: two more.
    assert few == many <= 8


# --- Exports -----------------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    from xml.etree import ElementTree

    with zipfile.ZipFile(io.BytesIO(content)) as package:
        assert {"[Content_Types].xml", "_rels/.rels"} <= set(package.namelist())
        document = package.read("word/document.xml").decode()
    root = ElementTree.fromstring(document)  # noqa: S314 - our own output, well-formed check
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert root.find(f"{namespace}body/{namespace}tbl") is not None
    return document


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(
        " ".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "docx"])
def test_exports_hold_aggregates_and_no_personal_data(women, personas, file_format):
    dataset = generated(
        personas.policy_officer, dimensions=["nationality", "case_type"], min_cell_size=5
    )
    exported = dataset_services.dataset_export(
        actor=personas.auditor, dataset=dataset, file_format=file_format
    )
    if file_format == "csv":
        text = exported.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["Title", "CEDAW annex"] or rows[0][1] == "CEDAW annex"
    elif file_format == "xlsx":
        text = _xlsx_text(exported.content)
    else:
        text = _docx_text(exported.content)
    assert "CEDAW annex" in text
    assert "&lt;5" in text or "<5" in text
    everyone = Client.objects.all()
    assert everyone.count() == 11
    stored = json.dumps(dataset.tables)
    assert not any(
        client.case_code in stored or client.name_romanised in stored for client in everyone
    )
    for client in everyone:
        assert client.name_romanised not in text
        assert client.case_code not in text
        if client.birth_date:
            assert client.birth_date.isoformat() not in text
            assert f"{client.birth_date:%Y-%m}" not in text
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(dataset.pk))
    assert event.actor == personas.auditor
    assert event.reason == file_format
    assert event.fields == ["tables"]


def test_export_needs_tables_and_a_known_format(personas):
    dataset = make_dataset(personas.policy_officer)
    with pytest.raises(ValidationError):
        dataset_services.dataset_export(
            actor=personas.policy_officer, dataset=dataset, file_format="csv"
        )
    with pytest.raises(ValidationError):
        dataset_services.dataset_export(
            actor=personas.policy_officer, dataset=dataset, file_format="pdf"
        )
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_no_audit_event_of_generation_holds_figures(women, personas):
    dataset = generated(personas.policy_officer)
    for event in AuditEvent.objects.filter(object_type="policy_monitor.statisticsdataset"):
        assert all(not any(ch.isdigit() for ch in field) for field in event.fields)
        assert str(dataset.counted_clients) not in event.reason


def test_demo_dataset_loads_once(db, settings, tmp_path):
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    from policy_monitor.statistics import demo as dataset_demo

    dataset_demo.load()
    dataset_demo.load()
    dataset = StatisticsDataset.objects.get(title=dataset_demo.TITLE)
    # Published, its tables in the release ledger once each.
    assert dataset.status == DatasetStatus.PUBLISHED
    assert sorted(Release.objects.filter(dataset=dataset).values_list("measure", flat=True)) == [
        "cases",
        "clients",
        "sessions",
    ]
    assert dataset.counted_clients + dataset.excluded_clients >= 3
    assert dataset.excluded_clients >= 1
    cancelled = StatisticsDataset.objects.get(title=dataset_demo.CANCELLED_TITLE)
    assert (cancelled.status, cancelled.progress_stage) == (DatasetStatus.DRAFT, "cancelled")
    shelter = StatisticsDataset.objects.get(title=dataset_demo.SHELTER_TITLE)
    assert shelter.status == DatasetStatus.GENERATED
    assert set(shelter.tables) == {"referrals", "stays", "bed_nights", "children"}


def test_unknown_counts_are_refused_not_dropped(personas):
    with pytest.raises(ValidationError) as error:
        make_dataset(personas.policy_officer, measures=["clients", "names"])
    assert "measures" in error.value.message_dict
    dataset = make_dataset(personas.policy_officer, measures=["sessions", "clients"])
    assert dataset.measures == ["clients", "sessions"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_title_a_spreadsheet_would_run_is_written_as_text(women, personas, file_format):
    dataset = generated(personas.policy_officer, dimensions=["nationality"], min_cell_size=5)
    type(dataset).objects.filter(pk=dataset.pk).update(title='=HYPERLINK("http://x")')
    dataset.refresh_from_db()
    exported = dataset_services.dataset_export(
        actor=personas.policy_officer, dataset=dataset, file_format=file_format
    )
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(exported.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][1] == '\'=HYPERLINK("http://x")'
    assert not any(str(cell).startswith("=") for row in rows for cell in row if cell)
