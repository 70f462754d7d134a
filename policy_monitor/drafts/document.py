"""The Word file of a shadow-report draft (python-docx).

Layout: a title page (mechanism, review, date, the NGO), the body (an
introduction, then one section per earlier recommendation: its text, current
status, dated evidence, campaigns and demands, submissions), and the annexes
(one captioned table per released table, with the legend of its marks).

The word count is the body's, as the UN counts a report's length: every
heading and paragraph from the introduction to the last recommendation; the
title page and the annexes of tables are not counted. Words are runs of
non-space characters, as word processors count them.

The draft is written in English, the language the report goes to the UN in
(the caller writes it with English active, so that the statistics' labels
come in English too).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings

from policy_monitor.drafts.content import Evidence, Item
from policy_monitor.statistics.exports import display_tables
from policy_monitor.statistics.models import Measure, StatisticsDataset
from policy_monitor.statistics.tabulation import DIMENSIONS

ANNEXES_HEADING = "Annexes"


def count_words(text: str) -> int:
    return len(text.split())


@dataclass
class Written:
    content: bytes
    words: int
    annexes: int


class _Body:
    """Adds paragraphs to the document and keeps the text that is counted."""

    def __init__(self, document):
        self.document = document
        self.counted: list[str] = []

    def heading(self, text: str, level: int):
        self.counted.append(text)
        return self.document.add_heading(text, level=level)

    def paragraph(self, text: str, style: str | None = None):
        self.counted.append(text)
        return self.document.add_paragraph(text, style=style)

    @property
    def words(self) -> int:
        return sum(count_words(text) for text in self.counted)


def _years(dataset: StatisticsDataset) -> str:
    first, last = dataset.period_from.year, dataset.period_to.year
    return str(first) if first == last else f"{first}–{last}"


def caption(number: int, dataset: StatisticsDataset, measure: str) -> str:
    """e.g. "Annex 1: Women (each counted once) by nationality and residence status, 2025"."""
    dimensions = [str(DIMENSIONS[key].label).lower() for key in dataset.dimensions]
    return "Annex {number}: {measure} by {breakdown}, {years}".format(
        number=number,
        measure=Measure(measure).label,
        breakdown=" and ".join(dimensions),
        years=_years(dataset),
    )


def legend(dataset: StatisticsDataset) -> str:
    k = dataset.min_cell_size
    return (
        f"“<{k}”: a count from 1 to {k - 1}, withheld to protect the women counted. "
        "“x”: a figure withheld so that a withheld count cannot be worked out from the "
        f"totals. Minimum cell size k = {k}."
    )


def _title_page(document, evidence: Evidence):
    review = evidence.review
    mechanism = review.mechanism
    document.add_paragraph("Shadow report (draft)", style="Title")
    document.add_paragraph(f"{mechanism.name_en} ({mechanism.code})", style="Subtitle")
    lines = [
        (f"Review: {review.cycle}, {review.state.name}"),
    ]
    if review.session:
        lines.append(f"Session: {review.session}")
    lines.append(f"Date: {evidence.on.isoformat()}")
    lines.append(f"Submitted by: {settings.NGO_NAME}")
    for line in lines:
        document.add_paragraph(line)
    count_line = document.add_paragraph()
    document.add_page_break()
    return count_line


def _recommendation(body: _Body, item: Item, annex_numbers: dict[int, list[int]]):
    recommendation = item.recommendation
    body.heading(str(recommendation), level=2)
    body.paragraph(recommendation.text, style="Quote")
    status = recommendation.get_current_status_display()
    if recommendation.current_status_on:
        status = f"{status} (assessed {recommendation.current_status_on.isoformat()})"
    body.paragraph(f"Current implementation status: {status}")
    if item.assessments or item.events:
        body.paragraph("Evidence", style="Heading 3")
    for assessment in item.assessments:
        body.paragraph(
            f"{assessment.assessed_on.isoformat()} – {assessment.get_status_display()}: "
            f"{assessment.evidence}",
            style="List Bullet",
        )
    for event in item.events:
        body.paragraph(
            f"{event.happens_on.isoformat()} – {event.get_kind_display()}: {event} "
            f"({event.policy.title})",
            style="List Bullet",
        )
    if item.campaigns:
        body.paragraph("Campaigns", style="Heading 3")
        for title, demands in item.campaigns:
            text = f"{title}: " + "; ".join(demands) if demands else title
            body.paragraph(text, style="List Bullet")
    if item.submissions:
        body.paragraph("Submissions", style="Heading 3")
        for submission in item.submissions:
            when = f" ({submission.submitted_on.isoformat()})" if submission.submitted_on else ""
            body.paragraph(f"{submission.title}{when}", style="List Bullet")
    numbers = [n for pk in item.annexes for n in annex_numbers.get(pk, [])]
    if numbers:
        body.paragraph("Figures: see annex {numbers}.".format(numbers=", ".join(map(str, numbers))))


def _annex(document, number: int, dataset: StatisticsDataset, table: dict) -> None:
    document.add_heading(caption(number, dataset, table["measure"]), level=2)
    rows = [table["header"], *table["rows"], table["totals"]]
    grid = document.add_table(rows=len(rows), cols=len(table["header"]))
    grid.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            run = grid.cell(r, c).paragraphs[0].add_run("" if value is None else str(value))
            run.bold = r in (0, len(rows) - 1)
    document.add_paragraph(
        "Source: {title}, {start} to {end}.".format(
            title=dataset.title,
            start=f"{dataset.period_from:%Y-%m}",
            end=f"{dataset.period_to:%Y-%m}",
        )
    )
    document.add_paragraph(legend(dataset))


def write(evidence: Evidence, *, step=lambda: None) -> Written:
    from docx import Document

    document = Document()
    count_line = _title_page(document, evidence)
    tables = [(dataset, display_tables(dataset)) for dataset in evidence.datasets]
    annex_numbers: dict[int, list[int]] = {}
    number = 0
    for dataset, shown in tables:
        for _table in shown:
            number += 1
            annex_numbers.setdefault(dataset.pk, []).append(number)

    body = _Body(document)
    review = evidence.review
    body.heading("Introduction", level=1)
    body.paragraph(
        f"This report follows up {len(evidence.items)} earlier recommendations of the "
        f"{review.mechanism.name_en} that concern migrant women, ahead of the review of "
        f"{review.state.name} ({review.cycle})."
    )
    if evidence.submissions:
        body.paragraph(
            "Earlier submissions to this review: {titles}.".format(
                titles="; ".join(s.title for s in evidence.submissions)
            )
        )
    body.heading("Follow-up of the earlier recommendations", level=1)
    for item in evidence.items:
        _recommendation(body, item, annex_numbers)
        step()

    if tables and number:
        document.add_page_break()
        document.add_heading(ANNEXES_HEADING, level=1)
        number = 0
        for dataset, shown in tables:
            for table in shown:
                number += 1
                _annex(document, number, dataset, table)

    words = body.words
    if evidence.word_limit:
        summary = f"{words} words of {evidence.word_limit} allowed"
        if words > evidence.word_limit:
            summary += " – " + "OVER THE LIMIT"
    else:
        summary = f"{words} words (no word limit recorded)"
    count_line.add_run(summary)
    buffer = io.BytesIO()
    document.save(buffer)
    return Written(content=buffer.getvalue(), words=words, annexes=number)
