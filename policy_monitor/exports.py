"""The recommendation list with its current status, as CSV or XLSX, streamed
whatever its length. Public documents and our own status only: no personal data;
UHRI-imported text is outside input, so every cell is neutralised
(ngo/lib/tabular.py). Every export is audited."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.lib import tabular
from ngo.lib.aggregates import joined_subquery
from ngo.lib.i18n import bilingual
from policy_monitor import selectors, services
from policy_monitor.models import ImplementationStatus, Position, Recommendation, Source

CHUNK = 2000


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


def recommendation_rows(queryset):
    """One row a recommendation, read as plain values (the linked terms joined in
    SQL, no model objects), in chunks, so that any number streams without
    holding them all and at close to the database's own pace."""
    sources = dict(Source.choices)
    positions = dict(Position.choices)
    statuses = dict(ImplementationStatus.choices)
    links = Recommendation.themes.through, Recommendation.affected_persons.through
    values = queryset.annotate(
        theme_labels=joined_subquery(
            links[0].objects.all(), key="recommendation_id", value="term__label_en", separator="; "
        ),
        affected_labels=joined_subquery(
            links[1].objects.all(), key="recommendation_id", value="term__label_en", separator="; "
        ),
        sdg_codes=joined_subquery(
            Recommendation.sdg_targets.through.objects.all(),
            key="recommendation_id",
            value="sdgtarget__code",
            separator="; ",
        ),
    ).values_list(
        "pk",
        "source",
        "mechanism__code",
        "plan__title_ko",
        "plan__title_en",
        "document_symbol",
        "paragraph",
        "issued_on",
        "text",
        "theme_labels",
        "affected_labels",
        "sdg_codes",
        "recommending_states",
        "position",
        "current_status",
        "current_status_on",
        "uhri_annotation_id",
    )
    for row in values.iterator(chunk_size=CHUNK):
        (
            pk,
            source,
            mechanism,
            plan_ko,
            plan_en,
            symbol,
            paragraph,
            issued,
            text,
            themes,
            affected,
            sdgs,
            states,
            position,
            status,
            status_on,
            annotation,
        ) = row
        yield [
            pk,
            sources.get(source, source),
            mechanism or "",
            bilingual(plan_ko or "", plan_en or ""),
            symbol,
            paragraph,
            issued,
            text,
            themes or "",
            affected or "",
            sdgs or "",
            "; ".join(states),
            positions.get(position, position),
            statuses.get(status, status),
            status_on,
            annotation or "",
        ]


def recommendation_export(*, user, filters: dict, file_format: str):
    """The recommendations `user` may read, with `filters`, every one of them
    (no cap), as a streamed CSV or XLSX; audited with the count."""
    queryset, _filterset = selectors.recommendation_list(user=user, filters=filters)
    count = queryset.count()
    table = tabular.Table(
        header=_header(),
        rows=recommendation_rows(queryset),
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
