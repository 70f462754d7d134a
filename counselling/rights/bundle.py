"""Her copy as one ZIP: a readable PDF summary, the records as JSON and one CSV
per section, and the files themselves. Built in memory by the worker and
stored encrypted (services.export_build); nothing of it is written in clear."""

from __future__ import annotations

import io
import json
import zipfile

from django.utils import timezone, translation

from counselling.rights import registry
from counselling.rights.display import header_of
from ngo.lib import tabular
from ngo.lib.pdf import render_pdf


def gather(client) -> list[dict]:
    """Every section with its rows and files, in registration order."""
    gathered = []
    for section in registry.sections():
        rows, files = section.gather(client)
        gathered.append({"key": section.key, "title": section.title, "rows": rows, "files": files})
    return gathered


def _csv(rows: list[dict]) -> bytes:
    header = header_of(rows) or ["id"]
    table = tabular.Table(
        header=header, rows=([values.get(name, "") for name in header] for values in rows)
    )
    return tabular.file_bytes(table, "csv")


def build_zip(export) -> tuple[bytes, list[str]]:
    """The ZIP of `export` and the keys of its sections. The PDF is in Korean,
    the centre's language, with every heading in English too."""
    client = export.client
    with translation.override("ko"):
        sections = gather(client)
        generated_at = timezone.localtime()
        pdf = render_pdf(
            "rights/summary_pdf.html",
            {
                "client": client,
                "export": export,
                "generated_at": generated_at,
                "sections": [
                    {**section, "header": header_of(section["rows"])} for section in sections
                ],
            },
        )
    data = {
        "case_code": client.case_code,
        "generated_at": generated_at.isoformat(),
        "sections": {
            section["key"]: {"title": section["title"], "rows": section["rows"]}
            for section in sections
        },
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", pdf)
        archive.writestr(
            "data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        )
        for section in sections:
            archive.writestr(f"csv/{section['key']}.csv", _csv(section["rows"]))
            for name, content in section["files"]:
                archive.writestr(f"files/{section['key']}/{name}", content)
    return buffer.getvalue(), [section["key"] for section in sections]
