"""Test material for policy monitoring: a UHRI "Export to Excel" file built the
way OHCHR builds it (UHRI's own column spelling, "- " multi-valued cells, Excel
serial dates mixed with ISO dates), and a small .docx."""

import csv
import io
from datetime import datetime

from openpyxl import Workbook

from policy_monitor import uhri

HEADER = list(uhri.EXPORT_HEADER)


def uhri_rows() -> list[list]:
    """Eight rows: five good (one without a paragraph number, one without an
    annotation id), three refused (no text, unknown body, unreadable date)."""
    return [
        [
            "41. The Committee recommends that the State party: (a) Amend the Employment "
            "Permit System to allow migrant women workers to change workplaces freely, in "
            "particular when they face sexual harassment or violence at work; (b) Ensure "
            "that migrant women who are victims of gender-based violence have access to "
            "shelters and legal aid irrespective of their residence status.",
            "- Republic of Korea",
            "CEDAW",
            "CEDAW/C/KOR/CO/8",
            "- Women's rights\n- Migrants\n- Gender-based violence",
            "- Women\n- Migrant workers",
            "- 5.2 Eliminate all forms of violence against all women and girls\n"
            "- 8.8 Protect labour rights and promote safe and secure working environments",
            43173,  # Excel serial: 14 March 2018
            "",
            "",
            "Concluding Observations",
            "6721300",
            "",
        ],
        [
            "10. The Committee recommends that the State party revise the requirement that "
            "marriage migrants obtain the support of their Korean spouse to extend their "
            "stay or apply for naturalization, so that women can leave abusive marriages "
            "without losing their residence status.",
            "- Republic of Korea",
            "Committee on the Elimination of Racial Discrimination",
            "CERD/C/KOR/CO/17-19",
            "- Racial discrimination\n- Marriage migrants' residence rights",
            "- Women\n- Non-citizens",
            "- 10.7 Facilitate orderly, safe, regular and responsible migration",
            "2018-12-10",
            "",
            "",
            "Concluding Observations",
            "6721301",
            "",
        ],
        [
            "132.190 Take measures to protect the rights of migrant workers, including "
            "women migrant workers in the agricultural and fishery sectors",
            "- Republic of Korea",
            "UPR",
            "A/HRC/37/11",
            "- Migrants\n- Right to work",
            "- Migrant workers",
            "- 8.8",
            "2017-12-27T00:00:00",
            "- Philippines",
            "Supported",
            "Recommendation",
            "6721302",
            "28",
        ],
        [
            "The Committee recommends that the State party ensure access to shelters and "
            "counselling for migrant women victims of domestic violence irrespective of "
            "their residence status.",
            "- Republic of Korea",
            "CEDAW",
            "CEDAW/C/KOR/CO/9",
            "- Domestic violence",
            "- Women\n- Migrants",
            "",
            datetime(2024, 5, 29),
            "",
            "",
            "Concluding Observations",
            "6721303",
            "",
        ],
        [
            "",
            "- Republic of Korea",
            "CEDAW",
            "CEDAW/C/KOR/CO/9",
            "- Women's rights",
            "",
            "",
            45441,
            "",
            "",
            "Concluding Observations",
            "6721304",
            "",
        ],
        [
            "15. The State party should ensure that the Enforced Disappearance ...",
            "- Republic of Korea",
            "Committee on Enforced Disappearances",
            "CED/C/KOR/CO/1",
            "- Enforced disappearances",
            "",
            "",
            45000,
            "",
            "",
            "Concluding Observations",
            "6721305",
            "",
        ],
        [
            "15. The State party should adopt comprehensive anti-discrimination legislation "
            "that prohibits discrimination on all grounds, including race, nationality and "
            "residence status.",
            "- Republic of Korea",
            "CCPR",
            "CCPR/C/KOR/CO/5",
            "- Equality & non-discrimination",
            "- Non-citizens",
            "",
            "2023-11-03",
            "",
            "",
            "Concluding Observations",
            "",
            "",
        ],
        [
            "72. Strengthen the identification of victims of trafficking among women on E-6-2 "
            "visas.",
            "- Republic of Korea",
            "SR on trafficking in persons, especially women and children",
            "A/HRC/47/34/Add.1",
            "- Trafficking in persons",
            "- Victims of trafficking",
            "",
            "31/31/2021",
            "",
            "",
            "Special Procedures",
            "6721307",
            "",
        ],
    ]


def uhri_xlsx(rows=None, header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Recommendations"
    sheet.append(header or HEADER)
    for row in rows if rows is not None else uhri_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def uhri_csv(rows=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows if rows is not None else uhri_rows():
        writer.writerow([v.date().isoformat() if isinstance(v, datetime) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def docx(text: str) -> bytes:
    """A Word document holding `text`: a paragraph per line, each split into two
    runs mid-word as Word does."""
    from docx import Document

    document = Document()
    lines = text.splitlines()
    for line in lines:
        half = len(line) // 2
        paragraph = document.add_paragraph()
        paragraph.add_run(line[:half])
        paragraph.add_run(line[half:])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf(words: list[str]) -> bytes:
    """A one-page PDF whose text layer holds `words` (ASCII), one line each."""
    lines = " ".join(f"({word}) Tj 0 -14 Td" for word in words)
    stream = f"BT /F1 12 Tf 72 720 Td {lines} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def uhri_many_rows(count: int, *, first_id: int = 8_000_000) -> list[list]:
    """`count` good rows in UHRI's form, each with its own annotation id and
    paragraph; themes, persons and SDGs from a few, as a real export repeats them."""
    themes = ["Women's rights", "Migrants", "Right to work", "Trafficking in persons"]
    persons = ["Women", "Migrant workers", "Non-citizens"]
    rows = []
    for i in range(count):
        document, paragraph = divmod(i, 100)
        rows.append(
            [
                f"{paragraph + 1}. Ensure that migrant women workers can change workplaces "
                f"when they face violence at work (recommendation {i}).",
                "- Republic of Korea",
                ("CEDAW", "CERD", "UPR")[document % 3],
                f"BENCH/C/KOR/CO/{document + 1}",
                "\n".join(f"- {t}" for t in themes[: 1 + i % len(themes)]),
                f"- {persons[i % len(persons)]}",
                "- 5.2 Eliminate all forms of violence" if i % 2 else "",
                43173 + i % 400,
                "",
                "",
                "Concluding Observations",
                str(first_id + i),
                "",
            ]
        )
    return rows
