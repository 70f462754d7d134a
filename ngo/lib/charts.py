"""The charts of the home page: their numbers, the table read out instead of the
picture, and the small-cell rule.

A panel builds each chart with `chart(...)` from counts its selector has
already aggregated in the database; `templates/dashboard/_chart.html` draws it
(canvas for the eye, a table for a screen reader) and
`ngo/static/hamkke/dashboard-charts.js` paints the canvas with Chart.js from
the json_script data, so no inline script is needed under the CSP.

Counts shown to people who see the whole organisation from afar (an auditor, a
campaign coordinator) follow the small-cell rule of the shadow-report
statistics: with `k` given, a count from 1 to k-1 is shown as "<k" and drawn
as zero with a marker, never at its true height.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from ngo.lib.small_cells import DEFAULT_CELL_SIZE  # noqa: F401 (the panels' k)


def month_starts(today: date, count: int = 12) -> list[date]:
    """The first day of the last `count` months, this one included, oldest first."""
    year, month, starts = today.year, today.month, []
    for _i in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def month_after(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def week_starts(today: date, count: int = 12) -> list[date]:
    """The Monday of the last `count` weeks, this one included, oldest first."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def weeks_from(first: date, last: date) -> list[date]:
    """The Monday of every week from `first`'s to `last`'s, both included."""
    monday = first - timedelta(days=first.weekday())
    return [monday + timedelta(weeks=n) for n in range((last - monday).days // 7 + 1)]


def per_period(counts: dict, periods: list[date]) -> list[int]:
    """One count per period, 0 where the database had no row."""
    return [int(counts.get(period, 0) or 0) for period in periods]


def _withheld(value, k: int | None) -> bool:
    return k is not None and isinstance(value, int) and 0 < value < k


def chart(
    *,
    key: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list]],
    kind: str = "bar",
    k: int | None = None,
    horizontal: bool = False,
    lines: tuple[str, ...] = (),
) -> dict:
    """One chart: `series` is a list of (name, one value per label). Series named
    in `lines` are drawn as lines over the bars (a capacity, say)."""
    drawn, shown = [], []
    for name, values in series:
        withheld = [_withheld(v, k) for v in values]
        drawn.append(
            {
                "name": str(name),
                "values": [0 if w else v for v, w in zip(values, withheld, strict=True)],
                "withheld": withheld,
                "line": name in lines,
            }
        )
        shown.append([f"<{k}" if w else v for v, w in zip(values, withheld, strict=True)])
    return {
        "key": f"chart-{key}",
        "title": str(title),
        "k": k,
        "rows": [(str(label), [column[i] for column in shown]) for i, label in enumerate(labels)],
        "columns": [str(name) for name, _values in series],
        "empty": not any(v for _name, values in series for v in values),
        "data": {
            "kind": kind,
            "horizontal": horizontal,
            "labels": [str(label) for label in labels],
            "series": drawn,
            "withheldLabel": f"<{k}" if k else "",
            "withheldNote": _("fewer than %(k)s, not drawn") % {"k": k} if k else "",
        },
    }


def month_labels(months: list[date]) -> list[str]:
    return [m.strftime("%Y-%m") for m in months]


def week_labels(weeks: list[date]) -> list[str]:
    return [w.isoformat() for w in weeks]
