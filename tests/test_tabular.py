"""The one export module (ngo/lib/tabular.py): formula cells neutralised in every
format, a byte-order mark on CSV, streamed responses, the audit call first."""

import csv
import io
from datetime import date

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from ngo.lib import tabular

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "\tTab", "\rCR"]


def _table(rows=None, **kwargs):
    return tabular.Table(
        header=["이름 name", "=header"],
        rows=rows if rows is not None else [[value, 1] for value in DANGEROUS],
        **kwargs,
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_text_a_spreadsheet_would_run_is_written_as_text():
    assert [tabular.neutralise(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert tabular.neutralise("plain") == "plain"
    assert tabular.neutralise(None) == ""
    assert tabular.neutralise(12) == 12
    assert tabular.neutralise(date(2026, 1, 2)) == date(2026, 1, 2)


def test_csv_streams_with_a_byte_order_mark_and_neutralised_cells():
    calls = []
    response = tabular.export_response(
        _table(preamble=[["=title"]]),
        file_format="csv",
        filename="people",
        audit=lambda: calls.append("audited"),
    )
    assert calls == ["audited"]
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == 'attachment; filename="people.csv"'
    body = _body(response)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["'=title"]
    assert rows[1] == ["이름 name", "'=header"]
    assert [row[0] for row in rows[2:]] == ["'" + v for v in DANGEROUS]


def test_a_csv_of_codes_for_scripts_goes_without_the_byte_order_mark():
    response = tabular.export_response(
        _table(byte_order_mark=False), file_format="csv", filename="codes", audit=lambda: None
    )
    body = _body(response)
    assert body.startswith("이름 name".encode())
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert [row[0] for row in rows[1:]] == ["'" + v for v in DANGEROUS]


def test_csv_rows_are_read_only_as_the_response_is_sent():
    consumed = []

    def rows():
        for n in range(3):
            consumed.append(n)
            yield [f"row {n}", n]

    response = tabular.export_response(
        _table(rows=rows()), file_format="csv", filename="x", audit=lambda: None
    )
    assert consumed == []
    assert _body(response).count(b"row ") == 3
    assert consumed == [0, 1, 2]


def test_xlsx_cells_are_text_and_neutralised():
    response = tabular.export_response(
        _table(sheet_title="Sign-ons: 2026/1", widths={"A": 30}, wrap=["A"]),
        file_format="xlsx",
        filename="people",
        audit=lambda: None,
    )
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == 'attachment; filename="people.xlsx"'
    sheet = load_workbook(io.BytesIO(_body(response))).active
    assert sheet.title == "Sign-ons  2026 1"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["이름 name", "'=header"]
    assert [row[0] for row in values[1:]] == ["'" + v for v in DANGEROUS]
    assert all(row[1] == 1 for row in values[1:])
    assert sheet["A2"].data_type == "s"


def test_a_large_table_streams_every_row():
    rows = ([f"r{n}", n] for n in range(25_000))
    response = tabular.export_response(
        _table(rows=rows), file_format="csv", filename="big", audit=lambda: None
    )
    body = _body(response).decode("utf-8-sig")
    assert body.count("\n") == 25_001
    assert body.rstrip().endswith("r24999,24999")


def test_an_unknown_format_is_refused_before_anything_is_audited():
    calls = []
    with pytest.raises(ValueError):
        tabular.export_response(
            _table(), file_format="pdf", filename="x", audit=lambda: calls.append(1)
        )
    assert calls == []
