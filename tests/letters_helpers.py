"""What the letter tests share: a case with domestic-violence work, and
reading a PDF back with poppler."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

from django.utils import timezone

BIRTH_DATE = date(1990, 4, 25)


def dv_case(make_case, personas, *, languages=("vi",), stay=None, **client):
    """A domestic-violence case with two sessions (counselling, then legal advice)."""
    from counselling import services

    case = make_case(
        birth_date=BIRTH_DATE,
        languages=list(languages),
        name_original=client.pop("name_original", "Nguyễn Thị Lan"),
        name_romanised=client.pop("name_romanised", "NGUYEN THI LAN"),
        **client,
    )
    actor = personas.counsellor_a
    first = timezone.now() - timedelta(days=30)
    services.session_record(
        actor=actor, case=case, mode="in_person", started_at=first, services=["counselling"]
    )
    services.session_record(
        actor=actor,
        case=case,
        mode="phone",
        started_at=first + timedelta(days=7),
        services=["counselling", "legal_advice"],
    )
    return case


def pdf_text(pdf: bytes, page: int | None = None) -> str:
    args = ["pdftotext", "-raw"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    for line in out.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo gave no page count")
