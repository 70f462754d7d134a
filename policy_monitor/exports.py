"""The recommendation list with its current status, as CSV or XLSX, streamed
whatever its length. Public documents and our own status only: no personal data;
UHRI-imported text is outside input, so every cell is neutralised
(ngo/lib/tabular.py). Every export is audited."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.lib import tabular
from policy_monitor import selectors, services

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
    """One row a recommendation, read in chunks (prefetches included), so that
    any number of them streams without holding them all."""
    for r in queryset.iterator(chunk_size=CHUNK):
        yield [
            r.pk,
            r.get_source_display(),
            r.mechanism.code if r.mechanism_id else "",
            r.plan.title if r.plan_id else "",
            r.document_symbol,
            r.paragraph,
            r.issued_on,
            r.text,
            "; ".join(t.label_en for t in r.themes.all()),
            "; ".join(t.label_en for t in r.affected_persons.all()),
            "; ".join(s.code for s in r.sdg_targets.all()),
            "; ".join(r.recommending_states),
            r.get_position_display(),
            r.get_current_status_display(),
            r.current_status_on,
            r.uhri_annotation_id or "",
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
