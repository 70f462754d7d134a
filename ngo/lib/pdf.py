"""PDF documents rendered from Django templates with WeasyPrint.

Every PDF Hamkke prints (letters, consent forms, subject-access summaries) goes
through :func:`render_pdf`. The documents hold survivors' personal data, so the
renderer never reaches the network or the file system: only ``data:`` URIs are
fetched (QR codes, the logo), and anything else in a template is refused.

Fonts are whole font files installed by the system (Debian's ``fonts-noto-core``,
``fonts-noto-cjk``; ``./hamkke start`` installs them), never subset web fonts:
WeasyPrint draws subset ``unicode-range`` fonts with the wrong glyphs. The
stack in ``templates/pdf/base.html`` covers Hangul, Latin with Vietnamese,
Cyrillic (Russian, Mongolian), Chinese, Thai and Khmer.

The text layer says what the template said. A shaped script reuses one glyph
in several clusters (a Khmer subscript, a vowel sign), and a PDF font maps each
glyph to one text only, so a PDF reader copying the glyphs drops or reorders
letters of longer Khmer lines. Every line of text WeasyPrint draws is therefore
wrapped in a marked-content span whose ``/ActualText`` is the line's own source
text (PDF 1.7, 14.9.4), which readers and ``pdftotext`` extract instead.
"""

from __future__ import annotations

import base64
import io
import shutil
import subprocess

from django.template.loader import render_to_string

# Families a letter needs, by script, and the Debian package that brings each.
REQUIRED_FONTS = {
    "Noto Sans": "fonts-noto-core",
    "Noto Sans CJK KR": "fonts-noto-cjk",
    "Noto Sans Thai": "fonts-noto-core",
    "Noto Sans Khmer": "fonts-noto-core",
}


class _DataOnlyFetcher:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and nothing else."""

    def __new__(cls):
        from weasyprint.urls import URLFetcher

        return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)


_actual_text_installed = False


def _install_actual_text() -> None:
    """Wrap WeasyPrint's drawing of each text box in a ``/Span`` marked-content
    sequence carrying the box's source text as ``/ActualText`` (once per process)."""
    global _actual_text_installed
    if _actual_text_installed:
        return
    import pydyf
    import weasyprint.draw as draw

    draw_text = draw.draw_text

    def draw_text_with_actual_text(stream, textbox, *args, **kwargs):
        text = textbox.text
        if not text.strip():
            return draw_text(stream, textbox, *args, **kwargs)
        properties = pydyf.Dictionary({"ActualText": pydyf.String(text)})
        stream.begin_marked_content("Span", properties)
        try:
            return draw_text(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw.draw_text = draw_text_with_actual_text
    _actual_text_installed = True


def render_pdf(template_name: str, context: dict) -> bytes:
    """The PDF of ``template_name`` rendered with ``context``."""
    from weasyprint import HTML

    _install_actual_text()
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url="data:,", url_fetcher=_DataOnlyFetcher()).write_pdf()


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as a PNG ``data:`` URI for a PDF template."""
    import qrcode

    buffer = io.BytesIO()
    qrcode.make(text, box_size=6, border=2).save(buffer, format="PNG")
    return png_data_uri(buffer.getvalue())


def missing_fonts() -> dict[str, str]:
    """Families from :data:`REQUIRED_FONTS` that fontconfig cannot find, with the
    package that installs each (empty when every script will render)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return dict(REQUIRED_FONTS)
    out = subprocess.run(  # noqa: S603 - a fixed program and arguments
        [fc_list, ":", "family"], capture_output=True, text=True, check=False
    )
    families = {f.strip() for line in out.stdout.splitlines() for f in line.split(",")}
    return {family: pkg for family, pkg in REQUIRED_FONTS.items() if family not in families}
