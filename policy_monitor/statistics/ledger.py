"""The release ledger, and the release auditor at work on it.

Every table that leaves Hamkke - published, downloaded in any format, sent
through the API - is recorded once (`dataset_release`) with its definition
and figures exactly as released. Before a dataset's tables are stored
(`protect_and_audit`, at generation) and again before they are first
released, the auditor (auditor.py) judges them together with every table of
the same count already in the ledger; a table that would expose a small group
gets more figures withheld, or is refused.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from ngo.accounts.models import User
from policy_monitor.statistics import auditor as audit_lp
from policy_monitor.statistics.models import Release, StatisticsDataset

CANDIDATE = audit_lp.CANDIDATE


ReleaseRefused = audit_lp.ReleaseRefused


def _ledger(measures) -> dict[str, list[audit_lp.Released]]:
    """Every released table of these counts, oldest first (one query)."""
    ledger: dict[str, list[audit_lp.Released]] = {measure: [] for measure in measures}
    for row in Release.objects.filter(measure__in=list(measures)).order_by("pk"):
        ledger[row.measure].append(
            audit_lp.Released(f"release:{row.pk}", row.definition, row.figures)
        )
    return ledger


# Counts of units that the auditor models; bed-nights and children are sums
# over stays, not counts of units: they share the stays' withheld cells
# (suppression.protect_dataset) and are not modelled by the auditor.
AUDITED = {"clients", "cases", "sessions", "calls", "referrals", "stays"}


def protect_and_audit(dataset: StatisticsDataset, counted, *, cells, on_stage=None) -> dict:
    """The dataset's tables (`counted`: counting.Counted) protected together
    and checked against everything released (see auditor.audit_tables). A
    count with nothing in the ledger yet is judged from its counted groups,
    without recounting anyone; one with releases is recounted unit by unit
    (`cells`), since the releases cut the records along other lines."""
    raw = counted.tables
    ledger = _ledger([m for m in raw if m in AUDITED])
    if on_stage is not None:
        on_stage(audit_lp.CHECKING_STAGE, 80)
    branch_ids = sorted(branch.pk for branch in dataset.branches.all())

    def definition(table):
        return audit_lp.definition_of(dataset, table, branch_ids)

    members = {
        m: None
        if releases
        else [
            (f"group:{n}", tuple(rows), tuple(columns), weight)
            for n, (rows, columns, weight) in enumerate(counted.signatures.get(m, []))
        ]
        for m, releases in ledger.items()
    }
    return audit_lp.audit_tables(
        raw,
        dataset.min_cell_size,
        auditors={m: audit_lp.Auditor(m, ledger[m], cells) for m in ledger},
        members=members,
        definition=definition,
    )


def fingerprint(definition: dict, figures: dict) -> str:
    payload = json.dumps([definition, figures], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _serialise_releases() -> None:
    """One release judged at a time, so that two cannot each pass without the other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5EA1ED])


@transaction.atomic
def dataset_release(*, actor: User | None, dataset: StatisticsDataset, channel: str, cells) -> list:
    """Record the dataset's tables as released through `channel`. A table
    already in the ledger releases nothing new; one not yet in it is audited
    again first (other tables may have left since it was generated) and, if
    it would now expose a small group, nothing is released. `cells` is
    `unit_cells(definition, measure)`: who is behind each released figure."""
    _serialise_releases()
    new = []
    for measure in dataset.measures:
        table = (dataset.tables or {}).get(measure)
        if not table:
            continue
        definition = audit_lp.definition_of(dataset, table)
        digest = fingerprint(definition, table)
        if Release.objects.filter(dataset=dataset, measure=measure, fingerprint=digest).exists():
            continue
        if measure not in AUDITED:
            new.append(_release(dataset, measure, channel, actor, definition, table, digest))
            continue
        candidate = audit_lp.Released(CANDIDATE, definition, table)
        auditor = audit_lp.Auditor(measure, _ledger([measure])[measure], cells)
        if auditor.new_findings(candidate):
            raise ValidationError(
                _(
                    "Tables released since this dataset was generated would, together with "
                    "it, expose a small group. Generate the dataset again before releasing it."
                ),
                code="generate_again",
            )
        new.append(_release(dataset, measure, channel, actor, definition, table, digest))
    for release in new:
        release.save()
    return new


def _release(dataset, measure, channel, actor, definition, table, digest) -> Release:
    return Release(
        dataset=dataset,
        measure=measure,
        channel=channel,
        released_by=actor,
        definition=definition,
        figures=table,
        fingerprint=digest,
    )
