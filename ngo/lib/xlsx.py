"""The cell values of an XLSX workbook's first sheet, read straight from its XML
with lxml: about three times less work than openpyxl for a large export, which
the UHRI import reads whole.

Values come as the file stores them: text, int or float (a date cell is its
Excel serial number; callers that expect dates read serials), bool, or None for
an empty cell. Anything this reader does not know raises UnreadableWorkbook, and
the caller may fall back to openpyxl."""

from __future__ import annotations

import functools
import posixpath
import zipfile
from collections.abc import Iterator

from lxml import etree

MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # "strict" OOXML
)
RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
PACKAGE_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class UnreadableWorkbook(Exception):
    pass


def _parse(source, tag: str):
    """The `tag` elements as they end. No entities, no network, no DTD: a
    workbook is data, never a fetch."""
    return etree.iterparse(
        source, events=("end",), tag=tag, resolve_entities=False, no_network=True, load_dtd=False
    )


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    """The path of the first sheet and the main namespace of the workbook."""
    workbook = etree.fromstring(
        archive.read("xl/workbook.xml"), etree.XMLParser(resolve_entities=False, no_network=True)
    )
    ns = next((n for n in MAIN if workbook.tag == f"{{{n}}}workbook"), None)
    if ns is None:
        raise UnreadableWorkbook("not a SpreadsheetML workbook")
    sheet = workbook.find(f"{{{ns}}}sheets/{{{ns}}}sheet")
    if sheet is None:
        raise UnreadableWorkbook("no sheet")
    rel_id = next((sheet.get(f"{{{r}}}id") for r in RELATIONSHIPS if sheet.get(f"{{{r}}}id")), None)
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{PACKAGE_RELATIONSHIPS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            return posixpath.normpath(path), ns
    raise UnreadableWorkbook("the first sheet is missing")


def _shared_strings(archive: zipfile.ZipFile, ns: str) -> list[str]:
    try:
        source = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    si, t, phonetic = f"{{{ns}}}si", f"{{{ns}}}t", f"{{{ns}}}rPh"
    strings = []
    with source:
        for _event, item in _parse(source, si):
            # Runs of rich text joined; phonetic guides (rPh) left out.
            strings.append(
                "".join(x.text or "" for x in item.iter(t) if x.getparent().tag != phonetic)
            )
            item.clear()
    return strings


@functools.cache
def _column(letters: str) -> int:
    """ "A" -> 0, "AB" -> 27."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number - 1


def _number(text: str) -> int | float:
    return float(text) if any(c in text for c in ".eE") else int(text)


def rows(data) -> Iterator[tuple[int, list]]:
    """(row number, values) for each row of the first sheet that has cells;
    `data` is the file's bytes or a file object."""
    try:
        archive = zipfile.ZipFile(data)
        path, ns = _first_sheet(archive)
        shared = _shared_strings(archive, ns)
        source = archive.open(path)
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as error:
        raise UnreadableWorkbook(str(error)) from error
    row_tag, cell_tag = f"{{{ns}}}row", f"{{{ns}}}c"
    value_tag, inline_tag = f"{{{ns}}}v", f"{{{ns}}}is"
    number = 0
    with source:
        try:
            for _event, row in _parse(source, row_tag):
                number = int(row.get("r") or number + 1)
                values: list = []
                for cell in row.iterchildren(cell_tag):
                    reference = cell.get("r")
                    if reference:
                        column = _column(reference.rstrip("0123456789"))
                        values.extend([None] * (column - len(values)))
                    kind = cell.get("t")
                    if kind == "inlineStr":
                        inline = cell.find(inline_tag)
                        values.append(None if inline is None else "".join(inline.itertext()))
                        continue
                    text = cell.findtext(value_tag)
                    if text is None or kind in ("str", "e", "d"):
                        values.append(text)
                    elif kind == "s":
                        values.append(shared[int(text)])
                    elif kind == "b":
                        values.append(text.strip() == "1")
                    else:
                        values.append(_number(text))
                row.clear()
                while row.getprevious() is not None:  # what the parser keeps of earlier rows
                    del row.getparent()[0]
                yield number, values
        except (etree.XMLSyntaxError, ValueError, IndexError) as error:
            raise UnreadableWorkbook(str(error)) from error
