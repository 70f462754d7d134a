"""The two marks a published figure can carry instead of a number.

A stored figure is an int, or the string "<k" (a count from 1 to k-1, withheld
by the small-cell rule), or the string "x" (withheld so that another withheld
count cannot be worked out from the totals). Older datasets stored every
withheld figure as None: it is shown as "x", never as a number.

Every format (screen, chart, CSV, XLSX, DOCX, Data Package) shows the marks as
they are, with the legend below.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

SECONDARY = "x"


def small_mark(k: int) -> str:
    return f"<{k}"


def shown(value, k: int):
    """A stored figure as published: an int, "<k" or "x" (None from older data)."""
    if value is None:
        return SECONDARY
    return value


def is_mark(value) -> bool:
    return value is None or isinstance(value, str)


def legend(k: int) -> list[tuple[str, str]]:
    """The marks and what they mean, for the line under a table and each file's header."""
    return [
        (
            small_mark(k),
            _("a count from 1 to %(last)s, withheld") % {"last": k - 1},
        ),
        (SECONDARY, _("withheld so that another withheld count cannot be worked out")),
    ]


def legend_lines(k: int) -> list[str]:
    return [f"{mark}: {meaning}" for mark, meaning in legend(k)]


def released_problems(tables: dict, k: int) -> list[str]:
    """Figures that must not leave as they are: a count from 1 to k-1, or a
    string that is neither mark. Empty when every figure is safe to release."""
    allowed = {small_mark(k), SECONDARY}
    problems = []

    def check(where: str, value) -> None:
        if value is None or value in allowed:
            return
        if isinstance(value, bool) or not isinstance(value, int) or 0 < value < k:
            problems.append(where)

    for measure, table in (tables or {}).items():
        for r, row in enumerate(table.get("cells") or []):
            for c, value in enumerate(row):
                check(f"{measure}.cells[{r}][{c}]", value)
        for name in ("row_totals", "column_totals"):
            for i, value in enumerate(table.get(name) or []):
                check(f"{measure}.{name}[{i}]", value)
        check(f"{measure}.total", table.get("total"))
    return problems
