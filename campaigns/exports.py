"""The public signatory list of a sign-on: organisation names and countries
only (nothing about people), as CSV or XLSX through ngo/lib/tabular.py. Every
export is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.models import Signatory, SignOn
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import tabular


def signatory_rows(sign_on: SignOn):
    signatories = (
        Signatory.objects.filter(sign_on=sign_on)
        .select_related("organisation")
        .order_by("organisation__name_ko", "organisation__name_en", "id")
    )
    for signatory in signatories.iterator(chunk_size=2000):
        organisation = signatory.organisation
        yield [
            organisation.name_ko,
            organisation.name_en,
            organisation.country.name
            and str(organisation.country.name)
            or organisation.country.code,
        ]


def signatory_table(sign_on: SignOn) -> tabular.Table:
    return tabular.Table(
        header=[_("Organisation (Korean)"), _("Organisation (English)"), _("Country")],
        rows=signatory_rows(sign_on),
        sheet_title=_("Signatories"),
        widths={"A": 36, "B": 44, "C": 20},
    )


def _audit(actor, sign_on: SignOn, file_format: str) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT,
            actor=actor,
            obj=sign_on,
            fields=["signatories"],
            reason=file_format,
        )


def signatories_export(*, actor, sign_on: SignOn, file_format: str):
    return tabular.export_response(
        signatory_table(sign_on),
        file_format=file_format,
        filename=f"signatories-{sign_on.pk}",
        audit=lambda: _audit(actor, sign_on, file_format),
    )


def signatories_csv(*, actor, sign_on: SignOn):
    return signatories_export(actor=actor, sign_on=sign_on, file_format="csv")


def signatories_xlsx(*, actor, sign_on: SignOn):
    return signatories_export(actor=actor, sign_on=sign_on, file_format="xlsx")
