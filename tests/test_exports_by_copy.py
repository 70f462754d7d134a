"""The caseload and recommendations CSV exports, written by PostgreSQL's COPY
(or, on SQLite, by Python from the same query): every cell as the rows read from
the objects would give it, in Korean and in English; scoped to the user;
streamed in pieces; and a stream cut short or failing mid-way leaves the
connection ready for the next request."""

from __future__ import annotations

import csv
import inspect
import io
from datetime import date

import pytest
from django.db import DataError, connection
from django.db.models import F, Value
from django.db.models.functions import Repeat
from django.urls import reverse
from django.utils import translation

from counselling import exports as case_exports
from counselling import selectors as case_selectors
from counselling.models import Case, CaseStatus, CaseType, Client, ClosureReason, RiskLevel
from ngo.accounts.roles import Role
from ngo.lib import tabular
from ngo.lib.i18n import bilingual
from policy_monitor import exports as recommendation_exports
from policy_monitor import selectors as recommendation_selectors
from policy_monitor.models import (
    ImplementationStatus,
    Position,
    Recommendation,
    SdgTarget,
    Source,
    Term,
)
from tests.conftest import content_of, verified_client
from tests.factories import UserFactory, bulk_cases

ON_POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="COPY is PostgreSQL's")
FORMULAS = ['=HYPERLINK("http://x")', "+82 10 5555", "-1", "@SUM(A1)", "\tTab", "\rCR"]


def _cells(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def _sorted_lists(rows, columns, separator):
    """Joined names come in no particular order: compare them as sorted lists."""
    return [
        [
            separator.join(sorted(cell.split(separator))) if index in columns else cell
            for index, cell in enumerate(row)
        ]
        for row in rows
    ]


def _text(value) -> str:
    value = tabular.neutralise(value)
    return value.isoformat() if isinstance(value, date) else str(value)


# --- The caseload -------------------------------------------------------------------------


def _case_line(case: Case) -> list[str]:
    """A line of the caseload, from the objects (what the export always wrote)."""
    client = case.client
    if client.name_original and client.name_romanised:
        name = f"{client.name_original} ({client.name_romanised})"
    else:
        name = client.name_original or client.name_romanised
    types = dict(CaseType.choices)
    return [
        _text(value)
        for value in (
            f"{client.case_code}/{case.pk}",
            client.case_code,
            name,
            case.branch.code,
            ", ".join(str(types.get(t, t)) for t in case.case_types),
            dict(CaseStatus.choices).get(case.status, case.status),
            dict(RiskLevel.choices).get(case.risk_level, case.risk_level),
            ", ".join(user.full_name for user in case.assigned.all()),
            case.opened_on,
            case.closed_on,
            dict(ClosureReason.choices).get(case.closure_reason, ""),
            translation.gettext("yes") if case.restricted else "",
        )
    ]


@pytest.fixture
def caseload(personas, branch_a, branch_b):
    """Cases of branch SEO with formula-like and Korean names, closed ones with
    their reasons, several types, restricted ones, staff assigned or not; and one
    case of branch BUS."""
    korean_staff = UserFactory(full_name="박서연", role=Role.COUNSELLOR, branches=[branch_a])
    formula_staff = UserFactory(full_name="-Lee", role=Role.COUNSELLOR, branches=[branch_a])
    people = [
        ("김민지", "Kim Minji"),
        ("Nguyễn Thị Lan", ""),
        ("", "Maria Santos"),
        *((name, "") for name in FORMULAS),
        ("=SUM(1)", "=SUM(2)"),
        ("'quoted", 'with "quotes", commas\nand a new line'),
    ]
    variants = [
        {"case_types": ["domestic_violence", "labour", "residence"], "assigned": []},
        {
            "status": "closed",
            "closed_on": date(2024, 9, 30),
            "closure_reason": "left_korea",
            "assigned": [formula_staff],
        },
        {"case_types": [], "risk_level": "severe", "restricted": True},
        {"status": "active", "assigned": [korean_staff, personas.counsellor_a]},
        {"status": "closed", "closed_on": date(2024, 3, 2), "closure_reason": "resolved"},
        {"case_types": ["trafficking", "not_a_type"], "risk_level": "high", "restricted": True},
    ]
    cases = []
    for n, (original, romanised) in enumerate(people):
        values = dict(variants[n % len(variants)])
        assigned = values.pop("assigned", [personas.counsellor_a])
        client = Client.objects.create(
            branch=branch_a,
            case_code=f"SEO-2024-{n:05d}",
            name_original=original,
            name_romanised=romanised,
            created_by=personas.counsellor_a,
        )
        case = Case.objects.create(
            client=client,
            branch=branch_a,
            created_by=personas.counsellor_a,
            opened_on=date(2024, 1, 1 + n),
            **{"case_types": ["sexual_violence"], **values},
        )
        case.assigned.set(assigned)
        cases.append(case)
    other = Client.objects.create(
        branch=branch_b,
        case_code="BUS-2024-00001",
        name_romanised="Elsewhere",
        created_by=personas.counsellor_b,
    )
    elsewhere = Case.objects.create(
        client=other, branch=branch_b, created_by=personas.counsellor_b, opened_on=date(2024, 2, 1)
    )
    return cases, elsewhere


def _case_export(user, language: str) -> bytes:
    response = verified_client(user).get(
        reverse("counselling:caseload_export", args=["csv"]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    assert response.streaming
    return content_of(response)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_caseload_csv_has_every_cell_the_objects_give(personas, caseload, language):
    cases, _elsewhere = caseload
    body = _case_export(personas.manager_a, language)
    with translation.override(language):
        expected = [case_exports._header()] + [
            _case_line(case)
            for case in sorted(cases, key=lambda c: (c.opened_on, c.pk), reverse=True)
        ]
        queryset, _filters = case_selectors.case_list(user=personas.manager_a, filters={})
        table = tabular.Table(
            header=case_exports._header(),
            query=case_exports.case_rows(queryset.order_by("-opened_on", "-id")),
        )
        by_python = _cells(b"".join(tabular.csv_chunks_by_python(table)))
    assert table.written_by_database() is ON_POSTGRESQL
    assert body.startswith("\ufeff".encode())
    written = _cells(body)
    assert _sorted_lists(written, {7}, ", ") == _sorted_lists(expected, {7}, ", ")
    assert written == by_python
    assert any(row[2] == '\'=HYPERLINK("http://x")' for row in written)
    assert any(row[2] == "김민지 (Kim Minji)" for row in written)
    assert any(row[7] == "'-Lee" for row in written)
    assert not any(
        cell.startswith(tuple(tabular.FORMULA_STARTS)) for row in written for cell in row
    )


def test_a_manager_exports_the_cases_of_her_branch_only(personas, caseload, branch_b):
    cases, elsewhere = caseload
    manager_b = UserFactory(role=Role.BRANCH_MANAGER, branches=[branch_b])
    theirs = _cells(_case_export(manager_b, "en"))[1:]
    assert [row[0] for row in theirs] == [f"BUS-2024-00001/{elsewhere.pk}"]
    ours = _cells(_case_export(personas.manager_a, "en"))[1:]
    assert len(ours) == len(cases)
    assert not any(row[0].startswith("BUS") for row in ours)


# --- Recommendations ----------------------------------------------------------------------


def _recommendation_line(rec: Recommendation) -> list[str]:
    plan = rec.plan
    return [
        _text(value)
        for value in (
            rec.pk,
            dict(Source.choices).get(rec.source, rec.source),
            rec.mechanism.code if rec.mechanism else "",
            bilingual(plan.title_ko, plan.title_en) if plan else "",
            rec.document_symbol,
            rec.paragraph,
            rec.issued_on,
            rec.text,
            "; ".join(term.label_en for term in rec.themes.all()),
            "; ".join(term.label_en for term in rec.affected_persons.all()),
            "; ".join(target.code for target in rec.sdg_targets.all()),
            "; ".join(rec.recommending_states),
            dict(Position.choices).get(rec.position, rec.position),
            dict(ImplementationStatus.choices).get(rec.current_status, rec.current_status),
            rec.current_status_on,
            rec.uhri_annotation_id,
        )
    ]


@pytest.fixture
def recommendations(policy_world):
    themes = list(Term.objects.filter(vocabulary="theme")[:2])
    persons = list(Term.objects.filter(vocabulary="affected_persons")[:2])
    targets = list(SdgTarget.objects.all()[:2])
    for n, text in enumerate([*FORMULAS, "이주여성 쉼터를 늘릴 것", 'Say "no", twice\nplease']):
        rec = Recommendation.objects.create(
            source="mechanism",
            mechanism=policy_world.cedaw,
            document_symbol="-A/HRC/40/9" if n == 2 else "A/HRC/40/9",
            paragraph=f"{n}.1" if n % 2 else "",
            issued_on=date(2019, 3, 1) if n % 3 else None,
            text=text,
            recommending_states=["Germany", "=Evil"] if n % 2 else [],
            position=["supported", "noted", "none"][n % 3],
            current_status=["not_implemented", "implemented", "unknown"][n % 3],
            current_status_on=date(2025, 1, n + 1) if n % 3 else None,
            uhri_annotation_id=f"@{n}" if n == 4 else (f"uhri-{n}" if n % 2 else None),
        )
        rec.themes.set(themes[: n % 3])
        rec.affected_persons.set(persons[: (n + 1) % 3])
        rec.sdg_targets.set(targets[: n % 3])
    return Recommendation.objects.all()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_recommendations_csv_has_every_cell_the_objects_give(
    personas, recommendations, language
):
    officer = personas.policy_officer
    response = verified_client(officer).get(
        reverse("policy_monitor:recommendation_export", args=["csv"]),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    assert response.streaming
    written = _cells(content_of(response))
    with translation.override(language):
        queryset, _filters = recommendation_selectors.recommendation_list(user=officer, filters={})
        expected = [recommendation_exports._header()] + [
            _recommendation_line(rec) for rec in queryset
        ]
        tables = [
            tabular.Table(
                header=recommendation_exports._header(),
                query=recommendation_exports.recommendation_rows(queryset, all_at_once=once),
            )
            for once in (False, True)
        ]
        by_python = [_cells(b"".join(tabular.csv_chunks_by_python(t))) for t in tables]
        linked_at_once = _cells(b"".join(tabular.csv_chunks(tables[1])))
    linked = {8, 9, 10}
    assert _sorted_lists(written, linked, "; ") == _sorted_lists(expected, linked, "; ")
    assert _sorted_lists(linked_at_once, linked, "; ") == _sorted_lists(expected, linked, "; ")
    assert written == by_python[0]
    assert linked_at_once == by_python[1]
    assert len(written) == 1 + recommendations.count()
    plans = {row[3] for row in written[1:]}
    assert (
        "제4차 국가인권정책기본계획"
        if language == "ko"
        else "4th National Action Plan for Human Rights"
    ) in plans
    assert "Germany; '=Evil" not in {row[11] for row in written}  # the whole cell is guarded
    assert "'Germany; =Evil" not in {row[11] for row in written}
    assert "Germany; =Evil" in {row[11] for row in written}


# --- Streaming and the connection ---------------------------------------------------------


def test_more_rows_than_a_chunk_arrive_in_pieces(personas, branch_a):
    total = case_exports.CHUNK + 150
    bulk_cases(branch_a, personas.counsellor_a, total)
    queryset, _filters = case_selectors.case_list(user=personas.manager_a, filters={})
    table = tabular.Table(header=case_exports._header(), query=case_exports.case_rows(queryset))
    chunks = tabular.csv_chunks(table)
    assert inspect.isgenerator(chunks)
    pieces = list(chunks)
    assert len(pieces) > 2
    assert max(len(piece) for piece in pieces) < 2 * tabular.CHUNK_BYTES
    rows = _cells(b"".join(pieces))
    assert len(rows) == 1 + total
    assert {row[2] for row in rows[1:]} == {f"Bulk {n}" for n in range(total)}


def test_the_database_neutralises_text_as_python_does(branch_a):
    values = [*FORMULAS, "plain", "", "'quoted", "=", "a=b", "한국어"]
    one = type(branch_a).objects.filter(pk=branch_a.pk)
    for value in values:
        (cell,) = one.values_list(tabular.Neutralised(Value(value))).get()
        assert tabular.neutralise(cell) == tabular.neutralise(value)
        if ON_POSTGRESQL:
            assert cell == (tabular.neutralise(value) or None)


def test_a_query_that_finds_nothing_writes_the_header_alone():
    table = tabular.Table(header=["id", "=x"], query=Case.objects.none().values_list("pk"))
    assert _cells(b"".join(tabular.csv_chunks(table))) == [["id", "'=x"]]


def _wide_rows(cases, *, failing_at=None):
    """Rows of about 200 bytes in the order they were written (no sort, so rows
    leave as they are read); with `failing_at`, a division by zero on that case."""
    cells = [F("pk"), tabular.Neutralised(Repeat(Value("x"), 200))]
    if failing_at is not None:
        cells.append(Value(1) / (F("pk") - failing_at))
    return Case.objects.filter(pk__in=[c.pk for c in cases]).order_by().values_list(*cells)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_stream_cut_short_or_failing_leaves_the_connection_ready(branch_a):
    actor = UserFactory(role=Role.COUNSELLOR, branches=[branch_a])
    cases = bulk_cases(branch_a, actor, 1500)

    cut = tabular.export_response(
        tabular.Table(header=["id", "x"], query=_wide_rows(cases)),
        file_format="csv",
        filename="wide",
        audit=lambda: None,
    )
    stream = iter(cut.streaming_content)
    next(stream), next(stream)  # the header, then the first block of rows
    assert connection.in_atomic_block
    cut.close()  # the client went away
    assert not connection.in_atomic_block and connection.get_autocommit()
    assert connection.is_usable()
    assert Case.objects.count() == 1500

    failing = tabular.export_response(
        tabular.Table(header=["id", "x", "y"], query=_wide_rows(cases, failing_at=cases[-1].pk)),
        file_format="csv",
        filename="failing",
        audit=lambda: None,
    )
    received = []
    with pytest.raises(DataError):
        for piece in failing.streaming_content:
            received.append(piece)
    failing.close()
    assert len(received) > 2  # the header and some rows had gone out
    assert not connection.in_atomic_block and connection.get_autocommit()
    assert connection.is_usable()
    assert Case.objects.count() == 1500
