"""The letter as pages of lines, from what it printed (`Letter.contents`), and
its PDF. The lines are the PDF's text, in order: the tests read the PDF back
and compare it with them."""

from __future__ import annotations

from dataclasses import dataclass, field

from counselling.letters.texts import TEXTS
from ngo.lib.pdf import qr_data_uri, render_pdf


@dataclass
class Page:
    language: str
    reviewed: bool
    title: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join([*self.title, *self.lines, *self.notices])


def _services(texts: dict, contents: dict) -> list[str]:
    given = [texts[name] for name in contents["services"]]
    for stay in contents["stays"]:
        if stay["to"]:
            given.append(texts["shelter"].format(start=stay["from"], end=stay["to"]))
        else:
            given.append(texts["shelter_open"].format(start=stay["from"]))
    return given


def _name(contents: dict) -> str:
    original, romanised = contents["name_original"], contents["name_romanised"]
    if original and romanised and original != romanised:
        return f"{original} ({romanised})"
    return original or romanised


def _signatory(texts: dict, contents: dict) -> str:
    return f"{contents['signatory']}, {texts['manager']}"


def _rows(texts: dict, contents: dict, lang: str) -> list[tuple[str, str]]:
    """(label key, value) in the order printed; the branch in Korean on Korean
    text, in English otherwise."""
    korean = lang == "ko"
    rows = [
        ("number", contents["number"]),
        ("name", _name(contents)),
        ("birth_date", contents["birth_date"]),
        ("nationality", contents["nationality_ko" if korean else "nationality_en"]),
        ("first_contact", contents["first_contact"]),
        ("last_contact", contents["last_contact"]),
        ("sessions", str(contents["sessions"])),
        ("issued_by", contents["branch_ko" if korean else "branch_en"]),
        ("address", contents["address_ko" if korean else "address_en"]),
        ("phone", contents["phone"]),
        ("signatory", _signatory(texts, contents)),
        ("issued_on", contents["issued_on"]),
    ]
    return [(key, value) for key, value in rows if value]


def _block(lang: str, contents: dict) -> tuple[list[str], list[str]]:
    texts = TEXTS[lang]
    rows = _rows(texts, contents, lang)
    lines = [f"{texts[key]}: {value}" for key, value in rows[:4]]
    lines.append(texts["statement"])
    lines += [f"{texts[key]}: {value}" for key, value in rows[4:7]]
    lines.append(f"{texts['services']}: " + ", ".join(_services(texts, contents)))
    lines += [f"{texts[key]}: {value}" for key, value in rows[7:]]
    lines.append(texts["verify"].format(url=contents["verify_url"]))
    notices = [] if texts["reviewed"] else [texts["not_reviewed"]]
    return lines, notices


def letter_pages(contents: dict) -> list[Page]:
    """The first page in Korean and English, and her own language's page if any."""
    ko_lines, ko_notices = _block("ko", contents)
    en_lines, en_notices = _block("en", contents)
    first = Page(
        language="ko",
        reviewed=TEXTS["ko"]["reviewed"] and TEXTS["en"]["reviewed"],
        title=[TEXTS["ko"]["title"], TEXTS["en"]["title"]],
        lines=ko_lines + en_lines,
        notices=ko_notices + en_notices,
    )
    pages = [first]
    lang = contents.get("language") or ""
    if lang in TEXTS and lang not in ("ko", "en"):
        lines, notices = _block(lang, contents)
        lines.append(TEXTS[lang]["translation"])
        pages.append(
            Page(
                language=lang,
                reviewed=TEXTS[lang]["reviewed"],
                title=[TEXTS[lang]["title"]],
                lines=lines,
                notices=notices,
            )
        )
    return pages


def letter_pdf(contents: dict) -> bytes:
    pages = letter_pages(contents)
    return render_pdf(
        "letters/letter.html",
        {
            "pages": pages,
            "number": contents["number"],
            "qr": qr_data_uri(contents["verify_url"]),
        },
    )
