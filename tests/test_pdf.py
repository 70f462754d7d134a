"""The PDF renderer: whole fonts for every script the letters use, and no fetching
of anything but data: URIs."""

import shutil
import subprocess

import pytest

from ngo.lib.pdf import missing_fonts, qr_data_uri, render_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")


def _text(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def test_every_required_font_is_installed():
    assert missing_fonts() == {}


def test_text_layer_round_trips_hangul_latin_and_cyrillic():
    lines = ["가정폭력 피해 상담 확인서", "Xác nhận đã tìm kiếm sự giúp đỡ", "Подтверждение"]
    text = _text(render_pdf("pdf/_probe.html", {"heading": "확인서", "lines": lines}))
    for line in lines:
        assert line in text


def test_file_and_http_urls_are_not_fetched(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    # A template that (wrongly) points at a local file renders without it: the
    # renderer's fetcher serves data: URIs only.
    pdf = render_pdf("pdf/_probe.html", {"heading": "x", "lines": [], "image": secret.as_uri()})
    assert pdf.startswith(b"%PDF")
    assert b"not an image" not in pdf


def test_qr_code_is_a_png_data_uri():
    uri = qr_data_uri("https://example.org/verify/SEO-L-2026-0001")
    assert uri.startswith("data:image/png;base64,")
    pdf = render_pdf("pdf/_probe.html", {"heading": "x", "lines": [], "image": uri})
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf


def test_text_layer_round_trips_khmer_and_thai_in_long_lines():
    # A glyph shared by several Khmer clusters has one ToUnicode entry, so copying
    # the glyphs loses letters; every drawn line carries its source as /ActualText.
    lines = [
        "ខ្មែរ៖ លិខិតបញ្ជាក់ ស្ត្រីនេះបានស្វែងរកជំនួយពីមជ្ឈមណ្ឌលរបស់យើង ដោយសារអំពើហិង្សាក្នុងគ្រួសារ។",
        "ภาษาไทย: หนังสือรับรอง ผู้หญิงคนนี้ได้ขอความช่วยเหลือจากศูนย์ของเรา",
    ]
    text = _text(render_pdf("pdf/_probe.html", {"heading": "x", "lines": lines}))
    squeezed = "".join(text.split())
    for line in lines:
        assert "".join(line.split()) in squeezed
