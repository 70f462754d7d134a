"""Every table that leaves Hamkke as a file: CSV (with a byte-order mark, so that
spreadsheet programs read Korean as UTF-8) or XLSX, streamed row by row.

One export function per record type builds a `Table` (a header and its rows),
then calls `export_response()`. The rows are either an iterable (a generator of
lists) or, for the long exports, `query`: a `.values_list()` queryset whose
expressions already give every cell as the file shows it (labels in the active
language, names joined, text neutralised by `Neutralised`). Such a table is
written, on PostgreSQL, by the database itself (`COPY (SELECT ...) TO STDOUT WITH
(FORMAT csv)` of the very SQL Django compiles for the queryset); on SQLite, and
as XLSX, the same queryset is read in chunks and written by Python, so the row
has one definition. `export_response()`:

- calls the `audit` callback first, so no file leaves without its audit event
  (this module sits below the apps and does not write audit rows itself);
- neutralises every cell that a spreadsheet would run as a formula (text that
  starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`);
- streams: CSV straight from the rows, XLSX through openpyxl's write-only mode
  into a temporary file that is then sent in chunks, so memory does not grow
  with the number of rows;
- marks the response as an attachment (`Content-Disposition`) that no cache
  keeps (`Cache-Control: no-store`).

Worked example (the signatories of a sign-on)::

    def signatories_export(*, actor, sign_on, file_format):
        rows = (
            [s.organisation.name_ko, s.organisation.name_en, s.organisation.country.code]
            for s in sign_on.signatories.select_related("organisation").iterator()
        )
        return tabular.export_response(
            tabular.Table(header=[_("Korean"), _("English"), _("Country")], rows=rows),
            file_format=file_format,
            filename=f"signatories-{sign_on.pk}",
            audit=lambda: audit_record(action=AuditAction.EXPORT, actor=actor, obj=sign_on),
        )

The same rows as a query, which PostgreSQL then writes itself::

        rows = sign_on.signatories.values_list(
            tabular.Neutralised(F("organisation__name_ko")),
            tabular.Neutralised(F("organisation__name_en")),
            tabular.Neutralised(F("organisation__country__code")),
        ).order_by("pk")
        table = tabular.Table(header=[...], query=rows)

A cell of the query must read in the file as Python writes its value: text
through `Neutralised` (which also turns empty text into NULL, since COPY quotes
an empty string but leaves NULL empty), choices through `choice_label`, yes/no
through `yes_or_empty`; numbers and dates as they are (the COPY runs with the
ISO date style).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Case, CharField, F, Func, Q, Value, When
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Coalesce, Concat, Left, NullIf
from django.db.models.functions.text import ConcatPair
from django.db.models.lookups import In, Lookup
from django.db.models.sql.where import WhereNode
from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from django.db.models import QuerySet

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# openpyxl holds one row at a time in write-only mode; the temporary file stays in
# memory up to this size and moves to disk beyond it.
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
# Rows read at a time from a table's query when Python writes it.
CHUNK_ROWS = 2000


def neutralise(value):
    """A cell as text a spreadsheet shows but never runs."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if isinstance(value, bool | int | float | date | datetime):
        return value
    return neutralise(str(value))


class Neutralised(Func):
    """A text cell of a table's query, as `neutralise` writes it. On PostgreSQL
    the database adds the leading `'` and gives NULL for empty text, which COPY
    writes as an empty field; elsewhere the text comes back as it is and
    `neutralise` guards it in Python. A column or a label (a CASE of constants)
    is tested by its first character, which costs half a regular expression; a
    cell computed by a subquery (joined names) goes through one regular
    expression, so that the subquery is not run twice."""

    output_field = CharField()
    arity = 1
    # FORMULA_STARTS as a regular expression ("-" last, where it is no range).
    FORMULA = "^([=+@\t\r-])"

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        source = self.source_expressions[0]
        if _evaluated_twice_for_nothing(source):
            guarded = Case(
                When(
                    In(Left(source, 1), list(FORMULA_STARTS)),
                    then=Concat(Value("'"), source, output_field=CharField()),
                ),
                default=source,
                output_field=CharField(),
            )
        else:
            guarded = Func(
                source,
                Value(self.FORMULA),
                Value("'\\1"),
                function="REGEXP_REPLACE",
                output_field=CharField(),
            )
        return compiler.compile(NullIf(guarded, Value("")))


# What a cell may be made of for PostgreSQL to compute it again at no cost.
_PLAIN = (Col, Value, Case, When, Q, WhereNode, Coalesce, Concat, ConcatPair, NullIf, Cast, Lookup)


def _evaluated_twice_for_nothing(expression) -> bool:
    if not isinstance(expression, _PLAIN):
        return False
    return all(
        _evaluated_twice_for_nothing(inner)
        for inner in expression.get_source_expressions()
        if inner is not None
    )


def choice_label(field: str, choices, *, unknown=None) -> Neutralised:
    """The label of `field`'s value among `choices` (a TextChoices' `.choices`),
    in the active language; a value without a label reads as itself, or as
    `unknown` if given ("" for none)."""
    return Neutralised(
        Case(
            *(When(**{field: value}, then=Value(str(label))) for value, label in choices),
            default=F(field) if unknown is None else Value(unknown),
            output_field=CharField(),
        )
    )


def yes_or_empty(field: str, yes: str) -> Neutralised:
    """`yes` (translated by the caller) where the boolean `field` is true, else nothing."""
    return Neutralised(
        Case(When(**{field: True}, then=Value(yes)), default=Value(""), output_field=CharField())
    )


@dataclass
class Table:
    header: Sequence[str]
    rows: Iterable[Sequence] = ()
    # Or the rows as a `.values_list()` queryset of cells (see the module's text):
    # PostgreSQL writes its CSV itself.
    query: QuerySet | None = None
    # Rows printed above the header (a title, the period, a legend), guarded too.
    preamble: Sequence[Sequence] = field(default_factory=list)
    sheet_title: str = "Sheet"
    # Column widths for XLSX, by column letter; and the columns whose text wraps.
    widths: dict[str, float] = field(default_factory=dict)
    wrap: Sequence[str] = ()
    # Further rows set in bold in XLSX (numbers counted over all rows, from 0).
    bold_rows: frozenset[int] = frozenset()
    # CSV: the byte-order mark that tells spreadsheets the text is UTF-8. A table
    # of codes and numbers only, read by scripts, goes without it.
    byte_order_mark: bool = True

    def all_rows(self) -> Iterator[list]:
        yield from _head(self)
        for row in self.body():
            yield [neutralise(value) for value in row]

    def body(self) -> Iterable[Sequence]:
        if self.query is None:
            return self.rows
        return self.query.iterator(chunk_size=CHUNK_ROWS)

    def written_by_database(self) -> bool:
        return self.query is not None and connections[self.query.db].vendor == "postgresql"


class _Echo:
    """A file-like object whose write() returns what it was given (for csv.writer)."""

    def write(self, value):
        return value


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The CSV in pieces of about CHUNK_BYTES (not one per row: a piece per row
    costs the server more than the row itself), written by the database if it can."""
    if table.written_by_database():
        return csv_chunks_by_copy(table)
    return csv_chunks_by_python(table)


def csv_chunks_by_python(table: Table) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    if table.byte_order_mark:
        yield "\ufeff".encode()
    pending, size = [], 0
    for row in table.all_rows():
        line = writer.writerow([_csv_text(value) for value in row])
        pending.append(line)
        size += len(line)
        if size >= CHUNK_BYTES:
            yield "".join(pending).encode()
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode()


def csv_chunks_by_copy(table: Table) -> Iterator[bytes]:
    """The byte-order mark and the lines above the rows written by Python (with
    the newline COPY ends its lines with), then the rows as PostgreSQL's COPY
    writes them, block by block.

    The COPY runs in a transaction of its own, opened when the first row is
    wanted (after the view has returned and the audit row is committed) and
    closed with the stream: if the client goes away, the generator is closed,
    psycopg cancels the COPY and drains it, and the transaction rolls back; a
    database error mid-stream rolls it back too and is raised as Django's own
    error, so that, as after any query, a connection left unusable is closed at
    the end of the request rather than handed to the next."""
    head = csv.writer(_Echo(), lineterminator="\n")
    lines = "".join(head.writerow([_csv_text(value) for value in row]) for row in _head(table))
    yield (("\ufeff" if table.byte_order_mark else "") + lines).encode()
    query = table.query
    try:
        sql, params = query.query.get_compiler(using=query.db).as_sql()
    except EmptyResultSet:
        return
    # Without parameters psycopg leaves the statement untouched, so the `%%` of
    # Django's SQL must become `%` here (as execute() would do).
    statement = f"COPY ({sql if params else sql % ()}) TO STDOUT WITH (FORMAT csv)"
    connection = connections[query.db]
    with (
        transaction.atomic(using=query.db),
        connection.cursor() as cursor,
        connection.wrap_database_errors,
    ):
        cursor.execute("SET LOCAL DateStyle TO ISO")
        # One long scan of simple rows: compiling its expressions to machine code
        # (PostgreSQL's JIT, chosen by the estimated cost) takes longer than it saves.
        cursor.execute("SET LOCAL jit TO off")
        with cursor.cursor.copy(statement, params or None) as copy:
            pending = bytearray()
            for block in copy:
                pending += block
                if len(pending) >= CHUNK_BYTES:
                    yield bytes(pending)
                    pending.clear()
            if pending:
                yield bytes(pending)


def _head(table: Table) -> Iterator[list]:
    for row in table.preamble:
        yield [neutralise(value) for value in row]
    yield [neutralise(value) for value in table.header]


def _csv_text(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def xlsx_file(table: Table):
    """The workbook in a temporary file, rewound; the caller closes it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(table.sheet_title))
    for letter, width in table.widths.items():
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    wrap_indexes = {_column_index(letter) for letter in table.wrap}
    header_at = len(table.preamble)
    for number, row in enumerate(table.all_rows()):
        cells = []
        for index, value in enumerate(row):
            if isinstance(value, datetime) and value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, even if it looks like a number
            if number == header_at or number in table.bold_rows:
                cell.font = bold
            elif number > header_at and index in wrap_indexes:
                cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)
    if header_at == 0:
        sheet.freeze_panes = "A2"
    handle = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return (cleaned or "Sheet")[:31]


def _column_index(letter: str) -> int:
    index = 0
    for ch in letter.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def attachment(response, filename: str):
    """Mark a response as a file to save, kept by no cache."""
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def export_response(
    table: Table,
    *,
    file_format: str,
    filename: str,
    audit: Callable[[], object],
):
    """The table as a streamed attachment `<filename>.<file_format>`, audited first."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}")
    audit()
    if file_format == "csv":
        response = StreamingHttpResponse(csv_chunks(table), content_type=CSV)
    else:
        handle = xlsx_file(table)
        response = FileResponse(handle, content_type=XLSX)
        response.block_size = CHUNK_BYTES
    return attachment(response, f"{filename}.{file_format}")


def file_bytes(table: Table, file_format: str) -> bytes:
    """The same file as bytes, for a file that is stored rather than sent."""
    if file_format == "csv":
        return b"".join(csv_chunks(table))
    handle = xlsx_file(table)
    try:
        return handle.read()
    finally:
        handle.close()
