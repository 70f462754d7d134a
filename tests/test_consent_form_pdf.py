"""The printed consent form: her language beside Korean, the decisions ticked
as recorded, signature and date lines, and the notice while a text is not
reviewed by a native speaker. Checked through the PDF's text layer
(pdftotext -raw); a page of each language is kept as a PNG under
$HAMKKE_VAR_DIR/test-artefacts/consent/ to be looked at."""

import difflib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string

from counselling import services
from counselling.consent_texts import selectors as consent_texts
from counselling.consent_texts import services as text_services
from counselling.consent_texts.models import LANGUAGES, ConsentText
from counselling.views.consent_forms import consent_form_context
from tests.conftest import verified_client

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler-utils"
)


def _flat(text: str) -> str:
    """Without whitespace: lines break anywhere in Thai, Khmer and Chinese,
    which write no spaces between words."""
    return re.sub(r"\s+", "", text)


def _thai(text: str) -> str:
    """Noto Sans Thai draws SARA AM as NIKHAHIT + SARA AA; the text layer maps
    the shared SARA AA glyph to one of the two, so they cannot be told apart."""
    return _flat(text).replace("\u0e33", "\u0e32").replace("\u0e4d", "")


def _text_of(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def _keep_page(pdf: bytes, language: str) -> Path:
    folder = Path(settings.VAR_DIR) / "test-artefacts" / "consent"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"consent-{language}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(folder / f"consent-{language}"),
        ],
        check=True,
    )
    source.unlink()
    return folder / f"consent-{language}.png"


def _client_with_decisions(make_case, personas, language):
    case = make_case(languages=[language])
    services.consents_record(
        actor=personas.counsellor_a,
        client=case.client,
        decisions=[
            {"purpose": "store_data", "given": True},
            {"purpose": "share_referral", "given": True, "organisation_kinds": ["hospital"]},
            {"purpose": "statistics", "given": False},
        ],
        explanation_language=language,
        interpreter_explained=True,
    )
    return case.client


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_in_her_language_beside_korean(language, personas, make_case):
    client = _client_with_decisions(make_case, personas, language)
    response = verified_client(personas.counsellor_a).get(
        f"/counselling/clients/{client.pk}/consent/form.pdf", {"language": language}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    text = _text_of(pdf)
    flat = _flat(text)
    explanation = consent_texts.explanation(language)
    assert not explanation.fallback and len(explanation.paragraphs) == 7
    korean = consent_texts.labels_in("ko")
    # The Korean column, the unreviewed notice in Korean and English, the lines to sign.
    for paragraph in explanation.paragraphs:
        assert _flat(paragraph.korean.body) in flat
    for words in (korean["unreviewed"], consent_texts.labels_in("en")["unreviewed"]):
        assert _flat(words) in flat
    for key in ("signature", "date", "name"):
        assert _flat(korean[key]) in flat
    assert client.case_code in text
    her = explanation.labels
    if language == "km":
        _assert_khmer(pdf, text, client, explanation)
    else:
        same = _thai if language == "th" else _flat
        for paragraph in explanation.paragraphs:
            assert same(paragraph.text.body) in same(text), paragraph.section
        assert same(her["unreviewed"]) in same(text)
        assert same(her["signature"]) in same(text)
    # Ticked as recorded: two given, one refused, one never asked.
    assert text.count("X") >= 3 + 1  # + the interpreter line
    png = _keep_page(pdf, language)
    assert png.stat().st_size > 1000


def _assert_khmer(pdf: bytes, text: str, client, explanation):
    """WeasyPrint writes one ToUnicode entry per glyph, and Khmer shapes many
    clusters with shared glyphs (subscripts, vowel parts), so the text layer
    of a Khmer paragraph is not its text: characters are dropped or doubled.
    What holds: the exact Khmer text is what WeasyPrint is given, it is set
    in the embedded Noto Sans Khmer, and each paragraph's text layer is close
    to the text (a similarity ratio that an unrelated paragraph never
    reaches), in the order of the form."""
    html = render_to_string("counselling/consent_form_pdf.html", consent_form_context(client, "km"))
    for paragraph in explanation.paragraphs:
        assert paragraph.text.body in html
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=False)
    if fonts.returncode == 0:
        assert b"Noto-Sans-Khmer" in fonts.stdout
    flat = _flat(text)
    position = 0
    for paragraph in explanation.paragraphs:
        body = _flat(paragraph.text.body)
        best, where = 0.0, position
        for start in range(position, max(position, len(flat) - len(body)) + 1, 3):
            ratio = difflib.SequenceMatcher(
                None, flat[start : start + len(body)], body, autojunk=False
            ).ratio()
            if ratio > best:
                best, where = ratio, start
        assert best >= 0.75, (paragraph.section, best)
        position = where + len(body) // 2


def test_the_notice_goes_once_every_text_is_reviewed(personas, make_case, settings):
    settings.HEAD_OFFICE_ADDRESS = "서울특별시 중구 세종대로 110"
    settings.HEAD_OFFICE_PHONE = "02-123-4567"
    language = "vi"
    for text in ConsentText.objects.filter(language__in=[language, "ko"], is_current=True):
        text_services.consent_text_mark_reviewed(
            actor=personas.admin, text=text, reviewer_name="Native speaker"
        )
    client = _client_with_decisions(make_case, personas, language)
    pdf = (
        verified_client(personas.counsellor_a)
        .get(
            f"/counselling/clients/{client.pk}/consent/form.pdf"  # her newest decision's language
        )
        .content
    )
    flat = _flat(_text_of(pdf))
    assert _flat(consent_texts.labels_in("vi")["unreviewed"]) not in flat
    assert _flat(consent_texts.labels_in("ko")["unreviewed"]) not in flat
    assert _flat(consent_texts.explanation("vi").paragraphs[0].text.body) in flat
    # The centre's contact: the head office, from the settings.
    assert _flat("본부 · Head office · 서울특별시 중구 세종대로 110 · 02-123-4567") in flat


def test_a_language_without_texts_prints_in_english_and_korean(personas, make_case):
    client = _client_with_decisions(make_case, personas, "ne")
    pdf = (
        verified_client(personas.counsellor_a)
        .get(f"/counselling/clients/{client.pk}/consent/form.pdf")
        .content
    )
    flat = _flat(_text_of(pdf))
    assert _flat("There is no consent text in her language (ne) yet") in flat
    english = consent_texts.explanation("ne")
    assert english.fallback and english.language == "en"
    for paragraph in english.paragraphs:
        assert _flat(paragraph.text.body) in flat and _flat(paragraph.korean.body) in flat
