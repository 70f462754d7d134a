"""The figures of a dataset in every format: the two marks ("<k", "x"; None
from older data shown as "x") with their legend on screen, in the chart, in
CSV (text), XLSX (text cells), DOCX and the Frictionless Data Package (which
frictionless validates); every orientation of the breakdowns renders its
header row; and no file holds anything that identifies a woman."""

import json
import re
from itertools import permutations

import pytest
import time_machine
from django.utils import timezone, translation
from lxml import html

from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor.statistics import counting, exports
from policy_monitor.statistics import services as dataset_services
from policy_monitor.statistics.exports import display_tables
from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset
from policy_monitor.statistics.suppression import protect_dataset
from policy_monitor.statistics.tabulation import DIMENSIONS, measure_dimension_problem
from policy_monitor.statistics.tasks import generate_dataset
from tests.conftest import verified_client
from tests.statistics_world import (
    build_world,
    csv_rows,
    docx_document,
    docx_text,
    table_after,
    unzip,
    xlsx_rows,
)

LEGEND_SMALL = "<5: a count from 1 to 4, withheld"
LEGEND_X = "x: withheld so that another withheld count cannot be worked out"
FORMATS = ["csv", "xlsx", "docx", "datapackage"]


@pytest.fixture(autouse=True)
def _one_day():
    """Cases, calls and datasets of "today": the clock holds still for the test;
    the figures are read in English."""
    with time_machine.travel(timezone.now(), tick=False), translation.override("en"):
        yield


def english_client(user):
    client = verified_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def world(make_case, personas, branch_a):
    return build_world(make_case, personas, branch_a)


def generated(actor, **values):
    today = timezone.localdate()
    dataset = dataset_services.dataset_create(
        actor=actor,
        **{
            "title": "CEDAW annex",
            "period_from": today,
            "period_to": today,
            "dimensions": ["nationality", "risk_level"],
            "measures": ["clients"],
            "min_cell_size": 5,
            **values,
        },
    )
    assert generate_dataset.apply(args=[dataset.pk]).get() == "generated"
    dataset.refresh_from_db()
    return dataset


def with_marks(dataset) -> StatisticsDataset:
    """Store figures as the suppression now writes them: ints, "<5", "x", and
    None (older data)."""
    cycle = [12, "<5", "x", None, 0]
    tables = {}
    for measure, table in dataset.tables.items():
        cells = [
            [cycle[(r + c) % len(cycle)] for c in range(len(row))]
            for r, row in enumerate(table["cells"])
        ]
        tables[measure] = {
            **table,
            "cells": cells,
            "row_totals": ["x" if r % 2 else 30 for r in range(len(table["row_totals"]))],
            "column_totals": [None if c % 2 else "<5" for c in range(len(table["column_totals"]))],
            "total": 41,
        }
    StatisticsDataset.objects.filter(pk=dataset.pk).update(tables=tables)
    dataset.refresh_from_db()
    return dataset


def export(dataset, file_format, actor):
    return dataset_services.dataset_export(actor=actor, dataset=dataset, file_format=file_format)


# --- The two marks -----------------------------------------------------------------------------


def test_marks_on_screen_with_a_legend_under_every_table_and_in_the_chart(world, personas):
    dataset = with_marks(generated(personas.policy_officer, measures=["clients", "cases"]))
    tables = display_tables(dataset)
    first = tables[0]
    figures = [value for row in first["rows"] for value in row[1:]]
    assert {"<5", "x", 12, 0} <= set(figures)
    assert None not in figures
    assert first["legend"] == [LEGEND_SMALL, LEGEND_X]
    chart = first["chart"]
    for values, marks, row in zip(chart["values"], chart["marks"], first["rows"], strict=True):
        for value, mark, shown in zip(values, marks, row[1:], strict=False):
            if isinstance(shown, str):
                assert (value, mark) == (0, shown)  # drawn at zero, with its mark
            else:
                assert (value, mark) == (shown, None)
    page = english_client(personas.policy_officer).get(f"/policy/statistics/{dataset.pk}/")
    tree = html.fromstring(page.content)
    sections = tree.xpath("//section[table or div/table]")
    assert len(sections) == 2
    for section in sections:
        legend = [li.text_content() for li in section.xpath(".//ul[@data-legend]/li")]
        assert legend == [LEGEND_SMALL, LEGEND_X]
        cells = {td.text_content() for td in section.xpath(".//tbody//td")}
        assert {"<5", "x"} <= cells
    header = [dd.text_content() for dd in tree.xpath("//dl/dd")]
    assert "a count from 1 to 4, withheld" in header
    data = json.loads(tree.get_element_by_id("dataset-chart-data").text)
    assert data["marks"] == chart["marks"]


def test_marks_in_csv_xlsx_and_docx_as_text_with_the_legend(world, personas):
    dataset = with_marks(generated(personas.policy_officer))
    caption = display_tables(dataset)[0]["caption"]
    rows = csv_rows(export(dataset, "csv", personas.policy_officer).content)
    assert ["<5", "a count from 1 to 4, withheld"] in rows[:12]
    assert ["x", "withheld so that another withheld count cannot be worked out"] in rows[:12]
    _header, body = table_after(rows, caption)
    assert {"<5", "x"} <= {cell for row in body for cell in row[1:]}
    assert [LEGEND_SMALL] in rows and [LEGEND_X] in rows

    sheet = xlsx_rows(export(dataset, "xlsx", personas.policy_officer).content)
    _header, body = table_after(sheet, caption)
    marks = [cell for row in body for cell in row[1:] if cell.value in ("<5", "x")]
    numbers = [cell for row in body for cell in row[1:] if cell.value in (12, 30, 41)]
    assert marks and numbers
    assert {cell.data_type for cell in marks} == {"s"}  # text cells, never numbers
    assert {cell.data_type for cell in numbers} == {"n"}

    content = export(dataset, "docx", personas.policy_officer).content
    text = docx_text(content)
    assert "<5: a count from 1 to 4, withheld" in text  # the header block
    assert text.count(LEGEND_X) >= 2  # header block and under the table
    grid = docx_document(content).tables[0]
    assert {"<5", "x"} <= {cell.text for row in grid.rows for cell in row.cells}


def test_api_gives_integers_or_marks_and_the_schema_says_so(world, personas):
    dataset = with_marks(generated(personas.policy_officer))
    client = verified_client(personas.policy_officer)
    body = client.get(f"/api/v1/statistics-datasets/{dataset.pk}/").json()
    table = body["tables"]["clients"]
    figures = [v for row in table["cells"] for v in row] + table["row_totals"]
    figures += table["column_totals"] + [table["total"]]
    assert None not in figures
    assert {"<5", "x", 12, 0} <= set(figures)
    assert all(isinstance(v, int) or v in ("<5", "x") for v in figures)
    import yaml

    schema = yaml.safe_load(verified_client(personas.admin).get("/api/schema/").content)
    table_schema = schema["components"]["schemas"]["Table"]["properties"]["total"]
    assert {"type": "integer", "minimum": 0} in table_schema["oneOf"]
    assert {"type": "string", "pattern": "^(<[0-9]+|x)$"} in table_schema["oneOf"]
    assert (
        "withheld so that another withheld count cannot be worked out"
        in (table_schema["description"])
    )


# --- Every orientation renders its headers ---------------------------------------------------


def _orientations():
    for dimensions in [(d,) for d in DIMENSIONS] + list(permutations(DIMENSIONS, 2)):
        measures = [
            m for m in ("clients", "calls") if not measure_dimension_problem([m], dimensions)
        ]
        if measures:
            yield list(dimensions), measures


def _check_widths(where, header, body, width, column_labels):
    assert len(header) == width, (where, header)
    assert [str(label) for label in column_labels] == [
        str(c) for c in header[1 : 1 + len(column_labels)]
    ], (
        where,
        header,
    )
    assert body, where
    assert all(len(row) == width for row in body), (where, body)


def test_every_orientation_renders_its_header_row(world, personas):
    officer = personas.policy_officer
    client = english_client(officer)
    checked = 0
    for dimensions, measures in _orientations():
        # Counted and protected by the real engine, stored as a generation would;
        # whether the auditor would let such a crossing of six women out is the
        # disclosure tests' business, the headers are this test's.
        dataset = dataset_services.dataset_create(
            actor=officer,
            title="Orientation",
            period_from=timezone.localdate(),
            period_to=timezone.localdate(),
            dimensions=dimensions,
            measures=measures,
            min_cell_size=3,
            generate=False,
        )
        counted = counting.count_dataset(dataset)
        StatisticsDataset.objects.filter(pk=dataset.pk).update(
            tables=protect_dataset(counted.tables, 3), status=DatasetStatus.GENERATED
        )
        dataset.refresh_from_db()
        tables = display_tables(dataset)
        assert [t["measure"] for t in tables] == measures
        page = html.fromstring(client.get(f"/policy/statistics/{dataset.pk}/").content)
        screen = page.xpath("//section//table")
        rows = csv_rows(exports.render(dataset, "csv").content)
        sheet = xlsx_rows(exports.render(dataset, "xlsx").content)
        grids = docx_document(exports.render(dataset, "docx").content).tables
        for index, table in enumerate(tables):
            stored = dataset.tables[table["measure"]]
            where = (dimensions, table["measure"])
            if len(dimensions) == 2:
                width = len(stored["column_codes"]) + 2  # row label, columns, total
                labels = table["header"][1:-1]
                assert len(labels) == len(stored["column_codes"]) >= 1, where
                assert table["header"][-1] == "Total"
            else:
                width, labels = 2, [table["caption"]]
            body_width = len(stored["row_codes"]) + 1  # the totals row
            html_header = [th.text_content() for th in screen[index].xpath("./thead/tr/th")]
            html_body = [
                [cell.text_content() for cell in tr.xpath("./th|./td")]
                for tr in screen[index].xpath("./tbody/tr|./tfoot/tr")
            ]
            _check_widths((*where, "screen"), html_header, html_body, width, labels)
            assert len(html_body) == body_width
            header, body = table_after(rows, table["caption"])
            _check_widths((*where, "csv"), header, body, width, labels)
            assert len(body) == body_width
            header, body = table_after(sheet, table["caption"])
            header = [cell.value for cell in header]
            _check_widths((*where, "xlsx"), header, body, width, labels)
            grid = [[cell.text for cell in row.cells] for row in grids[index].rows]
            _check_widths((*where, "docx"), grid[0], grid[1:], width, labels)
            assert len(grid) - 1 == body_width
            checked += 1
    orientations = list(_orientations())
    assert checked == sum(len(measures) for _dimensions, measures in orientations)
    # Each breakdown alone, and every pair that can be counted, both ways round
    # (the referral destination breaks down referrals only).
    assert len(orientations) == len(DIMENSIONS) - 1 + 14 * 13 + 5 * 4 - 3 * 2


# --- The Data Package --------------------------------------------------------------------------


def test_data_package_is_valid_and_declares_the_marks(world, personas, tmp_path):
    from frictionless import Package, validate

    dataset = with_marks(generated(personas.policy_officer, measures=["clients", "cases"]))
    exported = export(dataset, "datapackage", personas.auditor)
    assert exported.content_type == "application/zip"
    assert exported.filename == f"hamkke-statistics-{dataset.pk}.datapackage.zip"
    files = unzip(exported.content, tmp_path)
    descriptor = json.loads(files["datapackage.json"])
    assert len(descriptor["resources"]) == 2
    assert {"README.md", "datapackage.json"} <= set(files)
    assert (
        LEGEND_SMALL in files["README.md"].decode()
        and LEGEND_X in descriptor["resources"][0]["description"]
    )
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    resource = package.get_resource(descriptor["resources"][0]["name"])
    schema = descriptor["resources"][0]["schema"]
    assert schema["missingValues"] == ["", "<5", "x"]
    assert schema["fields"][0]["type"] == "string"
    assert {f["type"] for f in schema["fields"][2:]} == {"integer"}
    raw = files[resource.path].decode()
    assert "<5" in raw and ",x" in raw
    rows = resource.read_rows()
    assert rows[-1][schema["fields"][0]["name"]] == "total"
    figures = [row[field["name"]] for row in rows for field in schema["fields"][2:]]
    assert None in figures and 12 in figures  # marks read as missing, counts as integers
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(dataset.pk))
    assert (event.actor, event.reason) == (personas.auditor, "datapackage")


def test_data_package_through_the_screen_and_the_api(world, personas, branch_b):
    dataset = generated(personas.policy_officer)
    page = english_client(personas.policy_officer).get(f"/policy/statistics/{dataset.pk}/")
    assert f"/policy/statistics/{dataset.pk}/export/datapackage/" in page.content.decode()
    for url, refused in (
        (f"/policy/statistics/{dataset.pk}/export/datapackage/", 404),
        (f"/api/v1/statistics-datasets/{dataset.pk}/export/datapackage/", 403),
    ):
        response = verified_client(personas.admin).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"
        assert response.content[:2] == b"PK"
        assert verified_client(personas.counsellor_a).get(url).status_code == refused
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, reason="datapackage")
    assert exports.count() == 2


# --- Nothing that identifies a woman -----------------------------------------------------------

FULL_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{4}/\d{1,2}/\d{1,2}\b|\b\d{1,2}\.\d{1,2}\.\d{4}\b"
)


def _texts(dataset, actor, tmp_path) -> dict[str, str]:
    texts = {}
    for file_format in FORMATS:
        content = export(dataset, file_format, actor).content
        if file_format == "csv":
            texts[file_format] = "\n".join(",".join(row) for row in csv_rows(content))
        elif file_format == "xlsx":
            texts[file_format] = "\n".join(
                ",".join("" if c.value is None else str(c.value) for c in row)
                for row in xlsx_rows(content)
            )
        elif file_format == "docx":
            texts[file_format] = docx_text(content)
        else:
            files = unzip(content, tmp_path / "package")
            texts[file_format] = "\n".join(f.decode() for f in files.values())
    return texts


@pytest.mark.parametrize(
    "dimensions", [["nationality", "age_band"], ["residence_status", "marital_status"]]
)
def test_no_file_holds_anything_that_identifies_a_woman(world, personas, tmp_path, dimensions):
    dataset = generated(
        personas.policy_officer, dimensions=dimensions, measures=["clients", "cases", "sessions"]
    )
    generated_on = f"{timezone.localtime(dataset.generated_at).date():%Y-%m-%d}"
    cases = [*world["cases"], world["silent"]]
    for file_format, text in _texts(dataset, personas.policy_officer, tmp_path).items():
        for case in cases:
            client = case.client
            for value in (client.name_romanised, client.case_code, client.phone):
                assert value not in text, (file_format, value)
            if client.birth_date:
                assert f"{client.birth_date:%Y-%m}" not in text, file_format
        # The only full date is the day the tables were generated, in its own line.
        for line in text.splitlines():
            found = FULL_DATE.findall(line)
            assert not found or (found == [generated_on] and "Generated" in line), (
                file_format,
                line,
            )
    files = unzip(export(dataset, "datapackage", personas.policy_officer).content, tmp_path / "p")
    descriptor = json.loads(files["datapackage.json"])
    allowed = set(DIMENSIONS) | {f"{d}_label" for d in DIMENSIONS} | {"total"}
    for resource in descriptor["resources"]:
        stored = dataset.tables[resource["name"].split("_by_")[0]]
        allowed_here = allowed | set(stored["column_codes"]) | set(dataset.measures)
        names = {field["name"] for field in resource["schema"]["fields"]}
        assert names <= allowed_here, names
        assert not names & {"id", "name", "case_code", "client", "birth_date", "opened_on"}
