"""The letter's PDF says what the letter's text says, in every language: the
text layer read back by pdftotext equals the source lines (whitespace and line
breaks aside), every required field is on it, and a picture of each page is
kept under var/test-artefacts/letters/ for a person to look at."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from counselling.letters import services
from counselling.letters.document import letter_pages
from counselling.letters.texts import CLIENT_LANGUAGES, TEXTS
from tests.letters_helpers import dv_case, pdf_pages, pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")

# Scripts written without spaces between words: a line break may fall anywhere.
UNSPACED = {"zh", "th", "km"}


def _page_text(pdf: bytes, page: int) -> str:
    lines = pdf_text(pdf, page).replace("\f", "").splitlines()
    # The page counter of the footer ("1 / 2") is the template's, not the letter's.
    return "\n".join(line for line in lines if not line.strip().replace(" / ", "").isdigit())


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _spaced(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def branch_contact(branch_a):
    branch_a.address_ko = "서울특별시 종로구 대학로 12"
    branch_a.address_en = "12 Daehak-ro, Jongno-gu, Seoul"
    branch_a.phone = "02-3672-0000"
    branch_a.save()
    return branch_a


@pytest.fixture
def artefacts():
    folder = Path(settings.VAR_DIR) / "test-artefacts" / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("language", ["", *CLIENT_LANGUAGES])
def test_the_text_layer_is_the_letter_in_every_language(
    language, make_case, personas, branch_contact, artefacts, shelter, settings, tmp_path
):
    from counselling.shelters import services as shelter_services

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    languages = [language] if language else ["ko"]
    case = dv_case(make_case, personas, languages=languages)
    shelter_services.stay_admit(actor=personas.admin, case=case, bed=shelter.test_beds["a"])
    letter = services.letter_prepare(actor=personas.counsellor_a, case=case)
    assert letter.language == language
    letter = services.letter_approve(actor=personas.manager_a, letter=letter)
    pdf = letter.read_file()
    pages = letter_pages(letter.contents)
    assert [page.language for page in pages] == (["ko", language] if language else ["ko"])
    assert pdf_pages(pdf) == len(pages)

    for number, page in enumerate(pages, start=1):
        extracted = _page_text(pdf, number)
        assert _squeezed(extracted) == _squeezed(page.text())
        if page.language not in UNSPACED:
            assert _spaced(extracted) == _spaced(page.text())
        # Every field, in the page's words.
        for lang in ("ko", "en") if number == 1 else (page.language,):
            texts = TEXTS[lang]
            for key in ("title", "number", "name", "birth_date", "nationality", "statement"):
                assert _squeezed(texts[key]) in _squeezed(extracted), (lang, key)
            for key in ("first_contact", "last_contact", "sessions", "services", "issued_by"):
                assert _squeezed(texts[key]) in _squeezed(extracted), (lang, key)
            for key in ("address", "phone", "signatory", "issued_on", "counselling"):
                assert _squeezed(texts[key]) in _squeezed(extracted), (lang, key)
            assert _squeezed(texts["legal_advice"]) in _squeezed(extracted)
            assert _squeezed(texts["not_reviewed"]) in _squeezed(extracted)
        for value in (
            letter.number,
            "1990-04-25",
            "NGUYEN THI LAN",
            "Nguyễn Thị Lan",
            "02-3672-0000",
            personas.manager_a.full_name,
            letter.issued_on.isoformat(),
            letter.contents["first_contact"],
            letter.contents["last_contact"],
            letter.contents["stays"][0]["from"],
            services.verify_url(letter.number),
        ):
            assert _squeezed(value) in _squeezed(extracted), value

        png = artefacts / f"letter-{language or 'ko-en'}-page{number}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                "-",
                str(png),
            ],
            input=pdf,
            check=True,
        )
        assert png.with_suffix(".png").stat().st_size > 1000


def test_a_client_language_page_carries_the_not_reviewed_notice_and_its_translation_note():
    contents = {
        "number": "SEO-L-2026-0001",
        "language": "vi",
        "name_original": "",
        "name_romanised": "TRAN THI MAI",
        "birth_date": "1991-01-01",
        "nationality": "VN",
        "nationality_ko": "베트남",
        "nationality_en": "Vietnam",
        "first_contact": "2026-01-02",
        "last_contact": "2026-01-09",
        "sessions": 1,
        "services": ["counselling"],
        "stays": [{"from": "2026-01-03", "to": "2026-02-01"}],
        "branch_ko": "서울지부",
        "branch_en": "Seoul branch",
        "address_ko": "",
        "address_en": "",
        "phone": "",
        "signatory": "Kim",
        "issued_on": "2026-03-01",
        "verify_url": "https://verify.example.org/letters/verify/?number=SEO-L-2026-0001",
    }
    first, second = letter_pages(contents)
    assert TEXTS["vi"]["not_reviewed"] in second.notices
    assert TEXTS["vi"]["translation"] in second.lines
    assert "Ở nhà tạm lánh từ 2026-01-03 đến 2026-02-01" in second.text()
    # Rows without a value (the branch has no address) are left out, not printed empty.
    assert "주소" not in first.text()
