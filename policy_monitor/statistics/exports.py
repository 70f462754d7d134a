"""The tables of a dataset as shown on screen and as CSV, XLSX, DOCX files and
a Frictionless Data Package (datapackage.py).

Every file opens with the same header block (title, purpose, period, branches,
k, the legend of the two marks "<k" and "x", generation date) so that a figure
copied into a shadow report keeps its context. The files are built from the
stored tables only, which hold nothing but aggregates; a withheld figure is
shown as its mark (marks.py), as text, never as a number.

DOCX is written as plain Office Open XML with the standard library: the
project does not depend on python-docx, and one table per count needs no more.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ngo.accounts.models import Branch
from ngo.lib import tabular
from policy_monitor.statistics import datapackage
from policy_monitor.statistics.marks import is_mark, legend, legend_lines, shown
from policy_monitor.statistics.models import Measure, PeriodBasis, StatisticsDataset
from policy_monitor.statistics.tabulation import DIMENSIONS

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "datapackage": "application/zip",
}
EXTENSIONS = {"datapackage": "datapackage.zip"}


@dataclass
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def small(value: int, k: int):
    """A count outside the tables (women left out), protected like a cell."""
    return f"<{k}" if 0 < value < k else value


def _month(day) -> str:
    return f"{day:%Y-%m}"


def branch_names(dataset: StatisticsDataset) -> str:
    names = [branch.name for branch in dataset.branches.all()]
    return ", ".join(names) if names else _("All branches")


def header_block(dataset: StatisticsDataset) -> list[tuple[str, str]]:
    k = dataset.min_cell_size
    generated = (
        date_format(timezone.localtime(dataset.generated_at).date(), "Y-m-d")
        if dataset.generated_at
        else ""
    )
    return [
        (_("Title"), dataset.title),
        (_("Purpose"), dataset.purpose),
        (_("Period"), f"{_month(dataset.period_from)} – {_month(dataset.period_to)}"),
        (_("Cases counted"), str(PeriodBasis(dataset.period_basis).label)),
        (_("Branches"), branch_names(dataset)),
        (_("Minimum cell size (k)"), str(k)),
        *legend(k),
        (
            _("Women without consent to statistics (not counted)"),
            str(small(dataset.excluded_clients, k)),
        ),
        (_("Generated"), generated),
        (_("Source"), _("Hamkke case files; anonymised aggregate counts")),
    ]


def _branch_labels() -> dict[str, str]:
    return {branch.code: branch.name for branch in Branch.objects.all()}


def display_tables(dataset: StatisticsDataset) -> list[dict]:
    """One table per count: a caption, a header row and body rows of labels and
    figures ("<k" or "x" for withheld ones), the totals row last, the legend
    under it; the chart draws a withheld figure at zero with its mark."""
    k = dataset.min_cell_size
    branch_labels = _branch_labels() if "branch" in dataset.dimensions else {}

    def label(dimension, code):
        if dimension.key == "branch" and code in branch_labels:
            return branch_labels[code]
        return dimension.label_of(code)

    result = []
    for measure in dataset.measures:
        stored = (dataset.tables or {}).get(measure)
        if not stored:
            continue
        row_dim = DIMENSIONS[dataset.dimensions[0]]
        column_dim = DIMENSIONS[dataset.dimensions[1]] if len(dataset.dimensions) > 1 else None
        measure_label = str(Measure(measure).label)
        if column_dim is None:
            header = [str(row_dim.label), measure_label]
            body = [
                [label(row_dim, code), shown(value, k)]
                for code, value in zip(stored["row_codes"], stored["row_totals"], strict=True)
            ]
            totals = [_("Total"), shown(stored["total"], k)]
            column_labels = [measure_label]
        else:
            column_labels = [label(column_dim, code) for code in stored["column_codes"]]
            header = [f"{row_dim.label} \\ {column_dim.label}", *column_labels, _("Total")]
            body = [
                [label(row_dim, code), *[shown(v, k) for v in cells], shown(row_total, k)]
                for code, cells, row_total in zip(
                    stored["row_codes"], stored["cells"], stored["row_totals"], strict=True
                )
            ]
            totals = [
                _("Total"),
                *[shown(v, k) for v in stored["column_totals"]],
                shown(stored["total"], k),
            ]
        result.append(
            {
                "measure": measure,
                "caption": measure_label,
                "header": header,
                "rows": body,
                "totals": totals,
                "additive": stored.get("additive", True),
                "legend": legend_lines(k),
                "chart": {
                    "labels": [row[0] for row in body],
                    "series": column_labels,
                    "values": [
                        [0 if is_mark(v) else v for v in row[1 : 1 + len(column_labels)]]
                        for row in body
                    ],
                    "marks": [
                        [v if is_mark(v) else None for v in row[1 : 1 + len(column_labels)]]
                        for row in body
                    ],
                },
            }
        )
    return result


NOT_ADDITIVE = gettext_lazy(
    "A woman, case or session can fall into several categories here; "
    "the categories do not add up to the totals."
)


def _lines(dataset: StatisticsDataset) -> list[list]:
    """The whole export as rows: the header block, then each table."""
    lines: list[list] = [[name, value] for name, value in header_block(dataset)]
    for table in display_tables(dataset):
        lines.append([])
        lines.append([table["caption"]])
        lines.append(table["header"])
        lines.extend(table["rows"])
        lines.append(table["totals"])
        if not table["additive"]:
            lines.append([str(NOT_ADDITIVE)])
        lines.extend([line] for line in table["legend"])
    return lines


def render(dataset: StatisticsDataset, file_format: str) -> ExportFile:
    if file_format not in FORMATS:
        raise ValueError(file_format)
    writers = {"csv": _csv, "xlsx": _xlsx, "docx": _docx, "datapackage": _datapackage}
    return ExportFile(
        content=writers[file_format](dataset),
        content_type=FORMATS[file_format],
        filename=f"hamkke-statistics-{dataset.pk}.{EXTENSIONS.get(file_format, file_format)}",
    )


def _table(dataset: StatisticsDataset) -> tabular.Table:
    """The whole export as one sheet (ngo/lib/tabular.py neutralises every cell,
    the header block's titles and purposes included): the header block, then
    each table with its caption, header and totals rows in bold."""
    lines = _lines(dataset)
    bold = {index for index in range(1, len(header_block(dataset)))}
    for index, line in enumerate(lines):
        if line and index + 1 < len(lines) and index > 0 and not lines[index - 1]:
            bold.update({index, index + 1})  # a table's caption and its header row
    for table_end in _totals_rows(dataset):
        bold.add(table_end)
    return tabular.Table(
        header=lines[0],
        rows=lines[1:],
        sheet_title=_("Statistics"),
        widths={"A": 40},
        bold_rows=frozenset(bold),
    )


def _totals_rows(dataset: StatisticsDataset) -> list[int]:
    index, found = len(header_block(dataset)), []
    for table in display_tables(dataset):
        index += 3 + len(table["rows"])  # blank, caption, header, the rows
        found.append(index)
        index += 1 + (0 if table["additive"] else 1) + len(table["legend"])
    return found


def _datapackage(dataset: StatisticsDataset) -> bytes:
    return datapackage.datapackage_zip(dataset, header_block(dataset), display_tables(dataset))


def _csv(dataset: StatisticsDataset) -> bytes:
    return tabular.file_bytes(_table(dataset), "csv")


def _xlsx(dataset: StatisticsDataset) -> bytes:
    return tabular.file_bytes(_table(dataset), "xlsx")


# --- DOCX ----------------------------------------------------------------------------------


def _docx(dataset: StatisticsDataset) -> bytes:
    """A Word document for pasting into a shadow report: the header block, then
    each table with its header and totals rows in bold."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.add_heading(dataset.title, level=1)
    for name, value in header_block(dataset)[1:]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name}: ").bold = True
        paragraph.add_run(str(value))
    for table in display_tables(dataset):
        document.add_paragraph().add_run(str(table["caption"])).bold = True
        rows = [table["header"], *table["rows"], table["totals"]]
        grid = document.add_table(rows=len(rows), cols=len(table["header"]))
        grid.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                run = grid.cell(r, c).paragraphs[0].add_run(str(value))
                run.font.size = Pt(9)
                run.bold = r in (0, len(rows) - 1)
        if not table["additive"]:
            document.add_paragraph(str(NOT_ADDITIVE))
        for line in table["legend"]:
            document.add_paragraph(line).runs[0].font.size = Pt(8)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
