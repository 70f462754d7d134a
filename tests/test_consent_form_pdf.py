"""The printed consent form: her language beside Korean, the decisions ticked
as recorded, signature and date lines, her branch's contact, and the notice
while a text is not reviewed by a native speaker. Checked through the PDF's
text layer (pdftotext -raw), which is the form's own text in every language,
Khmer and Thai included (ngo/lib/pdf.py); a page of each language is kept as
a PNG under $HAMKKE_VAR_DIR/test-artefacts/consent/ to be looked at."""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from counselling import services
from counselling.consent_texts import selectors as consent_texts
from counselling.consent_texts import services as text_services
from counselling.consent_texts.models import LANGUAGES, ConsentText
from counselling.views.consent_forms import consent_form_context
from tests.conftest import verified_client

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler-utils"
)

# Scripts written without spaces between words: a line break may fall anywhere.
UNSPACED = {"zh", "th", "km"}
# Hangul lines break between syllables too (WeasyPrint has no word-break: keep-all).
BREAKS_INSIDE_WORDS = UNSPACED | {"ko"}
PAGE_COUNTER = re.compile(r"\s*\d+ / \d+\s*")


def _flat(text: str) -> str:
    """Without whitespace: lines break anywhere in Thai, Khmer and Chinese,
    which write no spaces between words, and Korean breaks inside words."""
    return re.sub(r"\s+", "", text)


def _spaced(text: str) -> str:
    return " ".join(text.split())


def _text_of(pdf: bytes) -> str:
    """The text layer, without the page counter of the footer ("1 / 2")."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    )
    lines = out.stdout.decode("utf-8").replace("\f", "\n").splitlines()
    return "\n".join(line for line in lines if not PAGE_COUNTER.fullmatch(line))


class _BodyText(HTMLParser):
    """The text a reader of the HTML sees: the body's character data, a line
    break at each block."""

    BLOCKS = {"p", "div", "h1", "table", "tr", "td"}

    def __init__(self):
        super().__init__()
        self.inside, self.parts = False, []

    def handle_starttag(self, tag, attrs):
        self.inside = self.inside or tag == "body"
        self.parts.append("\n" if tag in self.BLOCKS else "")

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "body"
        self.parts.append("\n" if tag in self.BLOCKS else "")

    def handle_data(self, data):
        if self.inside:
            self.parts.append(data)


def _form_text(client, language: str) -> str:
    parser = _BodyText()
    parser.feed(
        render_to_string(
            "counselling/consent_form_pdf.html", consent_form_context(client, language)
        )
    )
    parser.close()
    return "".join(parser.parts)


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


@pytest.fixture
def branch_contact(branch_a):
    branch_a.address_ko = "서울특별시 종로구 대학로 12"
    branch_a.address_en = "12 Daehak-ro, Jongno-gu, Seoul"
    branch_a.phone = "02-3672-0000"
    branch_a.save()
    return branch_a


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_in_her_language_beside_korean(language, personas, make_case, branch_contact):
    client = _client_with_decisions(make_case, personas, language)
    with time_machine.travel(timezone.now(), tick=False):  # one printing date for both
        response = verified_client(personas.counsellor_a).get(
            f"/counselling/clients/{client.pk}/consent/form.pdf", {"language": language}
        )
        form = _form_text(client, language)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    text = _text_of(pdf)
    # The text layer is the form's text, letter for letter, in every script.
    assert _flat(text) == _flat(form)
    # The text layer comes from /ActualText: the glyphs must be the script's own font.
    font = {"km": b"Noto-Sans-Khmer", "th": b"Noto-Sans-Thai", "zh": b"Noto-Sans-CJK-SC"}
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=False)
    if language in font and fonts.returncode == 0:
        assert font[language] in fonts.stdout.replace(b" ", b"-")
    explanation = consent_texts.explanation(language)
    assert not explanation.fallback and len(explanation.paragraphs) == 7
    korean, her = consent_texts.labels_in("ko"), explanation.labels
    # Her column and the Korean one, the unreviewed notice in Korean, English
    # and hers, the lines to sign, the centre's contact.
    for paragraph in explanation.paragraphs:
        for shown in (paragraph.text, paragraph.korean):
            assert _flat(shown.heading) in _flat(form) and _flat(shown.body) in _flat(form)
            if language not in BREAKS_INSIDE_WORDS and shown is paragraph.text:
                assert _spaced(shown.body) in _spaced(text), paragraph.section
    for words in (korean["unreviewed"], consent_texts.labels_in("en")["unreviewed"]):
        assert _flat(words) in _flat(form)
    for key in ("signature", "date", "name", "unreviewed"):
        assert _flat(korean[key]) in _flat(form) and _flat(her[key]) in _flat(form)
    contact = "서울지부 · Seoul branch · 서울특별시 종로구 대학로 12 · "
    if language != "ko":
        contact += "12 Daehak-ro, Jongno-gu, Seoul · "
    assert _flat(contact + "02-3672-0000") in _flat(text)
    assert language != "ko" or "Daehak-ro" not in text
    assert client.case_code in text
    # Ticked as recorded: two given, one refused, one never asked.
    assert text.count("X") >= 3 + 1  # + the interpreter line
    png = _keep_page(pdf, language)
    assert png.stat().st_size > 1000


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
    # Her branch has no contact: the head office's, from the settings.
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
