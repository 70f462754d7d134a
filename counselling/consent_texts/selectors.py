"""Reads of the consent texts: the current version of each section in a
language, with Korean and English standing in for a language that has none."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from counselling.consent_texts.models import (
    ENGLISH,
    GENERAL_SECTIONS,
    KOREAN,
    PURPOSE_SECTIONS,
    ConsentText,
    Section,
)
from ngo import access
from ngo.accounts.models import Branch

_HERE = Path(__file__).resolve().parent


@cache
def _labels() -> dict[str, dict[str, str]]:
    return json.loads((_HERE / "labels.json").read_text(encoding="utf-8"))


def labels_in(language: str) -> dict[str, str]:
    """The fixed words of the form (title, signature, the unreviewed notice...)
    in `language`, in English where Hamkke has none for it."""
    return _labels().get(language) or _labels()[ENGLISH]


def seed_texts() -> dict[str, dict[str, dict[str, str]]]:
    """The texts that come with Hamkke: {language: {section: {heading, body}}}."""
    return json.loads((_HERE / "texts.json").read_text(encoding="utf-8"))["texts"]


def consent_text_list(*, user, filters: dict | None = None) -> QuerySet[ConsentText]:
    """The texts she may read; the current versions unless `all_versions`."""
    filters = filters or {}
    texts = access.scope(user, ConsentText.objects.select_related("reviewed_by", "created_by"))
    if not filters.get("all_versions"):
        texts = texts.filter(is_current=True)
    for name in ("language", "section"):
        if filters.get(name):
            texts = texts.filter(**{name: filters[name]})
    return texts.order_by("language", "section", "-version")


def current_texts(language: str) -> dict[str, ConsentText]:
    """{section: current version} of one language (empty if it has no texts)."""
    rows = ConsentText.objects.filter(language=language, is_current=True)
    return {row.section: row for row in rows}


def languages_with_texts() -> list[str]:
    """Languages with a current text for every section."""
    counts: dict[str, int] = {}
    for language in ConsentText.objects.filter(is_current=True).values_list("language", flat=True):
        counts[language] = counts.get(language, 0) + 1
    return sorted(code for code, count in counts.items() if count == len(Section))


@dataclass
class Paragraph:
    section: str
    text: ConsentText  # in her language (English when it fell back)
    korean: ConsentText


@dataclass
class Explanation:
    """What she is shown: each section in her language beside the Korean."""

    asked: str  # the language she chose
    language: str  # the language of the texts (English when `fallback`)
    fallback: bool
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def unreviewed(self) -> bool:
        return any(
            not (p.text.reviewed_by_native_speaker and p.korean.reviewed_by_native_speaker)
            for p in self.paragraphs
        )

    @property
    def labels(self) -> dict[str, str]:
        return labels_in(self.language)

    @property
    def korean_labels(self) -> dict[str, str]:
        return labels_in(KOREAN)

    @property
    def english_labels(self) -> dict[str, str]:
        return labels_in(ENGLISH)

    def texts_for(self, purpose: str) -> list[ConsentText]:
        """The versions shown for one purpose: its own section and the general
        ones, in her language and (when it fell back) in Korean."""
        wanted = {purpose, *GENERAL_SECTIONS}
        shown = []
        for paragraph in self.paragraphs:
            if paragraph.section in wanted:
                shown.append(paragraph.text)
                if self.fallback or self.language == KOREAN:
                    shown.append(paragraph.korean)
        return list({text.pk: text for text in shown}.values())


def explanation(language: str) -> Explanation:
    """The current texts in `language` beside the Korean ones; English beside
    Korean (`fallback`) when the language lacks a section."""
    korean = current_texts(KOREAN)
    texts = current_texts(language)
    fallback = len(texts) < len(Section)
    shown_language = ENGLISH if fallback else language
    if fallback:
        texts = current_texts(ENGLISH)
    result = Explanation(asked=language, language=shown_language, fallback=fallback)
    for section in (*PURPOSE_SECTIONS, *GENERAL_SECTIONS):
        if section in texts and section in korean:
            result.paragraphs.append(Paragraph(section, texts[section], korean[section]))
    return result


@dataclass
class CentreContact:
    name_ko: str
    name_en: str
    address_ko: str
    address_en: str
    phone: str

    @property
    def line(self) -> str:
        parts = (self.name_ko, self.name_en, self.address_ko, self.address_en, self.phone)
        return " · ".join(part for part in parts if part)


def _has_contact(branch: Branch | None) -> bool:
    return branch is not None and bool(branch.address_ko or branch.address_en or branch.phone)


def centre_contact(*, branch: Branch | None = None, language: str = KOREAN) -> CentreContact:
    """The office she can reach: her branch when it has an address or a
    telephone, else the head office (its own, or HAMKKE_HEAD_OFFICE_ADDRESS and
    HAMKKE_HEAD_OFFICE_PHONE). The English address is printed beside the Korean
    one when her language is not Korean."""
    office = Branch.objects.filter(is_head_office=True).first()
    for candidate in (branch, office):
        if _has_contact(candidate):
            english = language != KOREAN or not candidate.address_ko
            return CentreContact(
                name_ko=candidate.name_ko,
                name_en=candidate.name_en,
                address_ko=candidate.address_ko,
                address_en=candidate.address_en if english else "",
                phone=candidate.phone,
            )
    return CentreContact(
        name_ko=office.name_ko if office else "",
        name_en=office.name_en if office else "",
        address_ko=settings.HEAD_OFFICE_ADDRESS,
        address_en="",
        phone=settings.HEAD_OFFICE_PHONE,
    )


def explanation_branch(*, user, value: str | None) -> Branch | None:
    """The intake's branch named by a request parameter: one of hers, or none
    when the parameter is empty. ValueError for anything else."""
    if not value:
        return None
    is_id = value.isascii() and value.isdigit() and len(value) < 10
    branch = user.branches.filter(pk=int(value)).first() if is_id else None
    if branch is None:
        raise ValueError(value)
    return branch
