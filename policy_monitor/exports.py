"""The recommendation list with its current status, as CSV or XLSX, streamed
whatever its length. Public documents and our own status only: no personal data;
UHRI-imported text is outside input, so every cell is neutralised
(ngo/lib/tabular.py). Every export is audited."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.lib import tabular
from ngo.lib.aggregates import JoinedJsonList, joined_subquery
from ngo.lib.i18n import bilingual_expression
from ngo.lib.tabular import Neutralised
from policy_monitor import selectors, services
from policy_monitor.models import ImplementationStatus, Position, Recommendation, Source

CHUNK = tabular.CHUNK_ROWS
# From this many rows, the linked terms of every recommendation are joined in one
# pass rather than looked up row by row (which costs more per row, but nothing for
# the rows a filter leaves out).
ALL_AT_ONCE_FROM = 5000


def _header() -> list[str]:
    return [
        "id",
        _("source"),
        _("mechanism"),
        _("plan"),
        _("document symbol"),
        _("paragraph"),
        _("date"),
        _("text"),
        _("themes"),
        _("affected persons"),
        _("SDG targets"),
        _("recommending States (UPR)"),
        _("position of the State"),
        _("current status"),
        _("last assessed on"),
        _("OHCHR annotation id"),
    ]


def recommendation_rows(queryset, *, all_at_once: bool = False):
    """One row a recommendation, every cell computed by the database (labels in
    the active language, the linked terms joined; those of every recommendation
    in one pass if `all_at_once`): the query PostgreSQL writes as CSV itself, or
    that Python reads in chunks."""
    links = Recommendation.themes.through, Recommendation.affected_persons.through

    def joined(through, value):
        return Neutralised(
            joined_subquery(
                through.objects.all(),
                key="recommendation_id",
                value=value,
                separator="; ",
                all_at_once=all_at_once,
            )
        )

    return queryset.values_list(
        "pk",
        tabular.choice_label("source", Source.choices),
        Neutralised(F("mechanism__code")),
        Neutralised(bilingual_expression("plan__title_ko", "plan__title_en")),
        Neutralised(F("document_symbol")),
        Neutralised(F("paragraph")),
        "issued_on",
        Neutralised(F("text")),
        joined(links[0], "term__label_en"),
        joined(links[1], "term__label_en"),
        joined(Recommendation.sdg_targets.through, "sdgtarget__code"),
        Neutralised(JoinedJsonList(F("recommending_states"), separator="; ")),
        tabular.choice_label("position", Position.choices),
        tabular.choice_label("current_status", ImplementationStatus.choices),
        "current_status_on",
        Neutralised(F("uhri_annotation_id")),
    )


def recommendation_export(*, user, filters: dict, file_format: str):
    """The recommendations `user` may read, with `filters`, every one of them
    (no cap), as a streamed CSV or XLSX; audited with the count."""
    queryset, _filterset = selectors.recommendation_list(user=user, filters=filters)
    count = queryset.count()
    table = tabular.Table(
        header=_header(),
        query=recommendation_rows(queryset, all_at_once=count >= ALL_AT_ONCE_FROM),
        sheet_title=_("Recommendations"),
        widths={"H": 80},
        wrap=["H"],
    )
    return tabular.export_response(
        table,
        file_format=file_format,
        filename=f"recommendations-{timezone.localdate().isoformat()}",
        audit=lambda: services.recommendations_export_audit(
            actor=user, count=count, file_format=file_format
        ),
    )
