"""The UHRI import at volume: a file that repeats an annotation id, importing the
same file twice, files longer than one chunk, refused rows with their reasons,
and a number of queries that does not grow with the number of rows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor import imports, uhri
from policy_monitor.imports import records
from policy_monitor.models import ImportJob, ImportStatus, Recommendation
from policy_monitor.tasks import run_import_job
from tests.policy_helpers import uhri_csv, uhri_many_rows, uhri_rows, uhri_xlsx

RECOMMENDATION = "policy_monitor.recommendation"


def _import(actor, data: bytes, name="uhri-export.xlsx", **kwargs) -> ImportJob:
    upload = SimpleUploadedFile(name, data)
    return imports.import_job_create(actor=actor, upload=upload, **kwargs)


def _lines(job) -> dict[int, dict]:
    return {line["row"]: line for line in job.report["rows"]}


def _counts(job) -> tuple[int, int, int, int]:
    return job.created_count, job.updated_count, job.unchanged_count, job.refused_count


def _record_events(action=None):
    events = AuditEvent.objects.filter(object_type=RECOMMENDATION)
    return events.filter(action=action) if action else events


def _table(rows) -> uhri.Table:
    return uhri.read_table("uhri.csv", uhri_csv(rows))


# --- A file that says two things about one recommendation ---------------------------------


def _file_with_repeats() -> list[list]:
    rows = uhri_rows()[:3]  # rows 2-4: CEDAW, CERD, UPR, with annotation ids
    repeat = list(rows[0])  # row 5: row 2 again, word for word
    conflict = list(rows[0])  # row 6: row 2's id with another position and text
    conflict[0] = "41. The Committee recommends something else."
    conflict[9] = "Noted"
    third = list(rows[0])  # row 7: a third time
    third[7] = "2019-01-01"
    return [*rows, repeat, conflict, third]


def test_a_repeated_annotation_id_is_refused_row_by_row_naming_the_first_row(personas):
    with translation.override("en"):
        job = _import(personas.policy_officer, uhri_xlsx(_file_with_repeats()))
    assert _counts(job) == (3, 0, 0, 3)
    lines = _lines(job)
    assert [lines[n]["outcome"] for n in (2, 3, 4)] == ["created"] * 3
    assert lines[5]["outcome"] == lines[6]["outcome"] == lines[7]["outcome"] == "refused"
    assert lines[5]["reasons"] == [
        "A repeat of row 2 (the same OHCHR annotation id 6721300, the same values); left out."
    ]
    for number in (6, 7):
        (reason,) = lines[number]["reasons"]
        assert "Row 2 has the same OHCHR annotation id 6721300 with other values" in reason
    # The record is the first row's.
    cedaw = Recommendation.objects.get(uhri_annotation_id="6721300")
    assert cedaw.text.startswith("41. The Committee recommends that the State party")
    assert Recommendation.objects.count() == 3


def test_the_repeat_is_reported_in_korean_too(personas):
    job = _import(personas.policy_officer, uhri_xlsx(_file_with_repeats()))
    lines = _lines(job)
    assert "2행과 같은 OHCHR 주석 ID(6721300)" in lines[5]["reasons"][0]
    assert "2행과 같은 OHCHR 주석 ID(6721300)" in lines[6]["reasons"][0]


def test_a_file_with_repeated_ids_imported_again_updates_nothing(personas):
    data = uhri_xlsx(_file_with_repeats())
    _import(personas.policy_officer, data)
    snapshot = list(Recommendation.objects.order_by("pk").values())
    events = _record_events().count()
    for _again in range(2):  # it used to flip between the two versions each time
        job = _import(personas.policy_officer, data)
        assert _counts(job) == (0, 0, 3, 3)
    assert list(Recommendation.objects.order_by("pk").values()) == snapshot
    assert _record_events().count() == events


def test_a_row_without_id_repeating_symbol_paragraph_and_text_is_refused(personas):
    ccpr = uhri_rows()[6]  # no annotation id: matched on symbol + paragraph
    other_date = list(ccpr)
    other_date[7] = "2024-01-01"
    with translation.override("en"):
        job = _import(personas.policy_officer, uhri_xlsx([ccpr, other_date]))
    assert _counts(job) == (1, 0, 0, 1)
    (reason,) = _lines(job)[3]["reasons"]
    assert reason.startswith("Row 2 has the same document symbol, paragraph and text")
    again = _import(personas.policy_officer, uhri_xlsx([ccpr, other_date]))
    assert _counts(again) == (0, 0, 1, 1)


def test_rows_sharing_symbol_and_paragraph_keep_their_own_records(personas):
    """One row with an annotation id, two without, all three CCPR ¶15 with other
    texts: three records, and importing again finds each row its own."""
    base = uhri_rows()[6]
    with_id, second, third = list(base), list(base), list(base)
    with_id[11] = "6729999"
    second[0] = "15. The State party should also protect domestic workers."
    third[0] = "15. The State party should also protect seasonal workers."
    data = uhri_xlsx([with_id, base, second, third])
    first = _import(personas.policy_officer, data)
    assert _counts(first) == (4, 0, 0, 0)
    again = _import(personas.policy_officer, data)
    assert _counts(again) == (0, 0, 4, 0)
    assert Recommendation.objects.filter(document_symbol="CCPR/C/KOR/CO/5").count() == 4


# --- Importing the same file again ---------------------------------------------------------


def test_importing_the_same_file_again_creates_updates_and_audits_nothing(personas):
    data = uhri_xlsx([*uhri_rows(), *uhri_many_rows(40)])
    first = _import(personas.policy_officer, data)
    assert _counts(first) == (45, 0, 0, 3)
    assert _record_events(AuditAction.CREATE).count() == 45
    created = _record_events(AuditAction.CREATE).first()
    assert "text" in created.fields and "themes" in created.fields
    snapshot = list(Recommendation.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    again = _import(personas.policy_officer, data)
    assert _counts(again) == (0, 0, 45, 3)
    assert {line["outcome"] for line in again.report["rows"]} == {"unchanged", "refused"}
    assert list(Recommendation.objects.order_by("pk").values()) == snapshot
    # The job's own two events only: created, and done with its counts.
    assert AuditEvent.objects.count() - events == 2
    done = AuditEvent.objects.get(
        object_type="policy_monitor.importjob", object_id=again.pk, reason__startswith="import_done"
    )
    assert done.reason == "import_done:0/0/45/3"


def test_a_changed_row_in_a_large_file_is_the_only_one_updated(personas):
    rows = uhri_many_rows(60)
    _import(personas.policy_officer, uhri_xlsx(rows))
    rows[42][2] = "CERD"  # the body, so the mechanism
    rows[42][8] = "- Philippines\n- Viet Nam"  # recommending States
    rows[42][9] = "Supported"  # position
    rows[42][10] = "Recommendation"  # type
    rows[42][4] = "- Right to health"  # themes
    job = _import(personas.policy_officer, uhri_xlsx(rows))
    assert _counts(job) == (0, 1, 59, 0)
    line = _lines(job)[44]
    changed = ["mechanism", "recommending_states", "position", "document_type", "themes"]
    assert line["outcome"] == "updated" and line["changed"] == changed
    record = Recommendation.objects.get(uhri_annotation_id=str(8_000_042))
    assert (record.mechanism.code, record.position, record.document_type) == (
        "CERD",
        "supported",
        "Recommendation",
    )
    assert record.recommending_states == ["Philippines", "Viet Nam"]
    assert [t.label_en for t in record.themes.all()] == ["Right to health"]
    assert record.updated_at > record.created_at
    (event,) = _record_events(AuditAction.UPDATE)
    assert event.object_id == str(record.pk) and event.fields == sorted(changed)
    neighbour = Recommendation.objects.get(uhri_annotation_id=str(8_000_041))
    assert neighbour.mechanism.code == "CEDAW" and neighbour.position == "none"


# --- Files longer than one chunk -----------------------------------------------------------


def test_a_file_longer_than_one_chunk_imports_every_row_and_moves_the_progress(
    personas, monkeypatch
):
    monkeypatch.setattr(records, "CHUNK_ROWS", 50)
    rows = uhri_many_rows(120)
    rows[75][2] = ""  # refused, in the second chunk
    seen = []
    report = records.recommendation_import(
        table=_table(rows),
        actor=personas.policy_officer,
        progress=lambda done, counts: seen.append((done, dict(counts))),
    )
    assert report["counts"] == {"created": 119, "updated": 0, "unchanged": 0, "refused": 1}
    assert [done for done, _counts in seen] == [50, 100, 120]
    assert seen[1][1] == {"created": 99, "updated": 0, "unchanged": 0, "refused": 1}
    assert len(report["rows"]) == 120
    assert Recommendation.objects.count() == 119
    again = records.recommendation_import(table=_table(rows), actor=personas.policy_officer)
    assert again["counts"] == {"created": 0, "updated": 0, "unchanged": 119, "refused": 1}


def test_the_worker_imports_more_rows_than_one_chunk(personas, django_capture_on_commit_callbacks):
    count = imports.CHUNK_ROWS + 5
    data = uhri_csv(uhri_many_rows(count))
    with django_capture_on_commit_callbacks(execute=False):
        job = _import(personas.policy_officer, data, name="uhri.csv")
    assert job.status == ImportStatus.QUEUED and job.total_rows == count
    assert run_import_job.apply(args=(job.pk,)).get() is True
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.percent == 100
    assert job.processed_rows == count and _counts(job) == (count, 0, 0, 0)
    assert Recommendation.objects.count() == count
    assert _record_events(AuditAction.CREATE).count() == count
    links = Recommendation.themes.through.objects.count()
    assert links == sum(1 + i % 4 for i in range(count))


# --- Refused rows --------------------------------------------------------------------------


def test_every_refused_row_is_listed_with_its_reasons(personas):
    rows = uhri_many_rows(10)
    rows[1][0] = ""  # no text
    rows[2][3] = ""  # no symbol
    rows[3][2] = "Committee on Enforced Disappearances"  # unknown body
    rows[4][7] = "31/31/2021"  # unreadable date
    rows[5][0], rows[5][3] = "", ""  # two reasons
    rows[6][11] = rows[0][11]  # row 2's annotation id again
    with translation.override("en"):
        job = _import(personas.policy_officer, uhri_xlsx(rows))
    assert _counts(job) == (4, 0, 0, 6)
    lines = _lines(job)
    assert len(lines) == 10  # nothing left out of the report
    refused = {n: line["reasons"] for n, line in lines.items() if line["outcome"] == "refused"}
    assert refused == {
        3: ["The text is empty."],
        4: ["The document symbol is empty."],
        5: ["Unknown recommending body: Committee on Enforced Disappearances."],
        6: ["The publication date 31/31/2021 cannot be read."],
        7: ["The text is empty.", "The document symbol is empty."],
        8: [refused[8][0]],
    }
    assert refused[8][0].startswith("Row 2 has the same OHCHR annotation id 8000000")
    assert job.report["unknown_bodies"] == {"Committee on Enforced Disappearances": 1}
    assert all(lines[n].get("id") for n in (2, 9, 10, 11) if n in lines)


def test_refused_rows_are_explained_in_korean_by_default(personas):
    rows = uhri_many_rows(2)
    rows[1][0] = ""
    job = _import(personas.policy_officer, uhri_xlsx(rows))
    assert _lines(job)[3]["reasons"] == ["본문이 비어 있습니다."]


# --- Queries -------------------------------------------------------------------------------


def _queries(actor, rows) -> list[str]:
    table = _table(rows)
    with CaptureQueriesContext(connection) as captured:
        records.recommendation_import(table=table, actor=actor)
    return [query["sql"] for query in captured.captured_queries]


def _inserts(queries) -> list[str]:
    return [q for q in queries if q.startswith("INSERT")]


def test_the_number_of_queries_does_not_grow_with_the_rows(personas):
    actor = personas.policy_officer
    _queries(actor, uhri_many_rows(5, first_id=1))  # new terms and SDG targets, once
    small_rows, big_rows = uhri_many_rows(50, first_id=100), uhri_many_rows(500, first_id=1000)
    small, big = _queries(actor, small_rows), _queries(actor, big_rows)
    assert Recommendation.objects.count() == 555
    others = [q for q in small if not q.startswith("INSERT")]
    assert len([q for q in big if not q.startswith("INSERT")]) == len(others)
    # One bulk INSERT a table, however many rows; only a database that limits
    # the parameters of a statement (SQLite: 999) splits it into several.
    splits = 0 if connection.vendor == "postgresql" else 25
    assert len(_inserts(small)) <= len(_inserts(big)) <= len(_inserts(small)) + splits
    # Importing them again: reads only, the same few for 50 rows as for 500.
    assert len(_queries(actor, big_rows)) == len(_queries(actor, small_rows)) <= 12


def test_the_number_of_queries_of_updates_does_not_grow_with_the_rows(personas):
    actor = personas.policy_officer
    small_rows, big_rows = uhri_many_rows(50, first_id=100), uhri_many_rows(500, first_id=1000)
    _queries(actor, small_rows)
    _queries(actor, big_rows)
    for row in (*small_rows, *big_rows):
        row[9] = "Noted"
    small, big = _queries(actor, small_rows), _queries(actor, big_rows)
    others = [q for q in small if not q.startswith(("INSERT", "UPDATE"))]
    assert len([q for q in big if not q.startswith(("INSERT", "UPDATE"))]) == len(others)
    # One UPDATE for a chunk on PostgreSQL; records.UPDATE_BATCH rows at a time elsewhere.
    batch = records.UPDATE_BATCH_POSTGRESQL if connection.vendor == "postgresql" else None
    updates = [q for q in big if q.startswith("UPDATE")]
    assert len(updates) == -(-500 // (batch or records.UPDATE_BATCH))
    assert Recommendation.objects.filter(position="noted").count() == 550


@pytest.mark.parametrize("name", ["uhri.xlsx", "uhri.csv"])
def test_a_numeric_annotation_id_read_as_a_float_is_the_same_id(personas, name):
    rows = uhri_many_rows(2)
    rows[0][11] = 8_000_000.0
    data = uhri_xlsx(rows) if name.endswith("xlsx") else uhri_csv(rows)
    first = _import(personas.policy_officer, data, name=name)
    again = _import(personas.policy_officer, data, name=name)
    assert _counts(first)[0] == 2 and _counts(again) == (0, 0, 2, 0)


# --- Reading the workbook ------------------------------------------------------------------

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook_with_shared_strings() -> bytes:
    """A workbook as Excel writes it: shared strings (one in rich text with a
    phonetic guide), a skipped row, a skipped cell, cells without references."""
    import io
    import zipfile

    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            '<sheet name="Export" sheetId="1" r:id="rId7"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId7" Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId8" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{MAIN_NS}"><si><t>Text</t></si><si><t>Reccomending Body</t></si>'
            "<si><t>Document Symbol</t></si><si><t>OHCHR Annotation Id</t></si>"
            '<si><r><t xml:space="preserve">49. The </t></r><r><rPr><b/></rPr>'
            '<t>Committee &amp; others</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></si>'
            "<si><t>CEDAW</t></si></sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>'
            '<c r="E1" t="inlineStr"><is><t>Document Publication Date</t></is></c></row>'
            '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>5</v></c>'
            '<c t="str"><v>CEDAW/C/KOR/CO/9</v></c><c><v>6721300</v></c>'
            "<c><v>43173.5</v></c></row>"
            '<row r="4"><c r="B4" t="b"><v>1</v></c><c r="D4"><v>1.5E3</v></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def test_a_workbook_with_shared_strings_reads_as_openpyxl_reads_it():
    import io

    from ngo.lib import xlsx

    data = _workbook_with_shared_strings()
    fast = list(xlsx.rows(io.BytesIO(data)))
    assert fast == [
        (
            1,
            [
                "Text",
                "Reccomending Body",
                "Document Symbol",
                "OHCHR Annotation Id",
                "Document Publication Date",
            ],
        ),
        (3, ["49. The Committee & others", "CEDAW", "CEDAW/C/KOR/CO/9", 6721300, 43173.5]),
        (4, [None, True, None, 1500.0]),
    ]
    # openpyxl reads the same (it pads rows to the widest and keeps the empty one).
    slow = [(n, values[: len(dict(fast)[n])]) for n, values in uhri._openpyxl_rows(data) if n != 2]
    assert slow == fast
    table = uhri.read_table("uhri.xlsx", data)
    assert [number for number, _row in table.rows] == [3, 4]
    assert uhri.parse_date(table.rows[0][1]["date"]).isoformat() == "2018-03-14"
