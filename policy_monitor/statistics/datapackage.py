"""A dataset as a Frictionless Data Package (https://datapackage.org): a .zip
holding `datapackage.json`, one CSV per table and a README with the header
block and the legend.

Each table is a resource with a Table Schema: the row category's code and
label (strings), then one integer field per column category and the total.
A withheld figure stays in the CSV as its mark ("<k" or "x"); the schema
declares both marks in `missingValues`, so a validator accepts them and a
reader loads them as missing, never as a number. The header block travels in
the descriptor's `description` and in README.md.

Only aggregates leave: category codes and labels, counts and marks.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile

from django.utils.text import slugify
from django.utils.translation import gettext as _

from policy_monitor.statistics.marks import SECONDARY, legend_lines, shown, small_mark
from policy_monitor.statistics.models import StatisticsDataset
from policy_monitor.statistics.tabulation import DIMENSIONS

TOTAL_CODE = "total"


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _resource(dataset: StatisticsDataset, table: dict, stored: dict) -> tuple[dict, bytes]:
    """One table as a resource descriptor and its CSV bytes."""
    k = dataset.min_cell_size
    row_key = dataset.dimensions[0]
    two_way = len(dataset.dimensions) > 1
    taken: set[str] = set()
    fields = [
        {
            "name": _unique(row_key, taken),
            "title": str(DIMENSIONS[row_key].label),
            "type": "string",
            "description": _("Category code"),
            "constraints": {"required": True},
        },
        {
            "name": _unique(f"{row_key}_label", taken),
            "title": str(DIMENSIONS[row_key].label),
            "type": "string",
            "description": _("Category name"),
        },
    ]
    count_titles = table["header"][1:]
    codes = [*stored["column_codes"], TOTAL_CODE] if two_way else [table["measure"]]
    for code, title in zip(codes, count_titles, strict=True):
        fields.append(
            {
                "name": _unique(str(code) or "unknown", taken),
                "title": str(title),
                "type": "integer",
                "constraints": {"minimum": 0},
            }
        )
    rows = []
    for code, body_row in zip(stored["row_codes"], table["rows"], strict=True):
        rows.append([code, body_row[0], *body_row[1:]])
    rows.append([TOTAL_CODE, table["totals"][0], *table["totals"][1:]])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([field["name"] for field in fields])
    for row in rows:
        writer.writerow([shown(value, k) for value in row])
    name = slugify(f"{table['measure']}-by-{'-'.join(dataset.dimensions)}").replace("-", "_")
    resource = {
        "name": name,
        "path": f"{name}.csv",
        "title": str(table["caption"]),
        "description": " ".join(legend_lines(k)),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": fields,
            "missingValues": ["", small_mark(k), SECONDARY],
        },
    }
    return resource, buffer.getvalue().encode("utf-8")


def descriptor_and_files(
    dataset: StatisticsDataset, header_block: list, tables: list[dict]
) -> tuple[dict, dict[str, bytes]]:
    """The descriptor and the files, from the header block and the tables as
    exports.py shows them."""
    header = [(str(name), str(value)) for name, value in header_block if value]
    resources, files = [], {}
    for table in tables:
        resource, content = _resource(dataset, table, dataset.tables[table["measure"]])
        resources.append(resource)
        files[resource["path"]] = content
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"hamkke-statistics-{dataset.pk}",
        "title": dataset.title,
        "description": "\n".join(f"{name}: {value}" for name, value in header),
        "keywords": ["shadow report", "anonymised", "aggregate"],
        "resources": resources,
    }
    readme = [f"# {dataset.title}", ""]
    readme += [f"- {name}: {value}" for name, value in header]
    readme += ["", f"## {_('Legend')}", ""]
    readme += [f"- {line}" for line in legend_lines(dataset.min_cell_size)]
    readme += ["", f"## {_('Tables')}", ""]
    readme += [f"- {r['path']}: {r['title']}" for r in resources]
    files["README.md"] = ("\n".join(readme) + "\n").encode("utf-8")
    return descriptor, files


def datapackage_zip(dataset: StatisticsDataset, header_block: list, tables: list[dict]) -> bytes:
    descriptor, files = descriptor_and_files(dataset, header_block, tables)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        )
        for path, content in files.items():
            archive.writestr(path, content)
    return buffer.getvalue()
