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
from policy_monitor.statistics.models import Refusal, Release, StatisticsDataset
from policy_monitor.statistics.suppression import protect_dataset
from policy_monitor.statistics.tabulation import Table

# The counting module's function (policy_monitor.statistics.counting.unit_cells)
# has the same signature.
unit_cells = audit_lp.unit_cells

CANDIDATE = "candidate"


class ReleaseRefused(Exception):
    def __init__(self, refusal: str):
        super().__init__(refusal)
        self.refusal = refusal


def _ledger(measures) -> dict[str, list[audit_lp.Released]]:
    """Every released table of these counts, oldest first (one query)."""
    ledger: dict[str, list[audit_lp.Released]] = {measure: [] for measure in measures}
    for row in Release.objects.filter(measure__in=list(measures)).order_by("pk"):
        ledger[row.measure].append(
            audit_lp.Released(f"release:{row.pk}", row.definition, row.figures)
        )
    return ledger


def _any_published(tables: dict[str, dict]) -> bool:
    candidate = audit_lp.Released(CANDIDATE, {"k": 0}, {})
    for table in tables.values():
        candidate.figures = table
        if any(isinstance(v, int) and v > 0 for v in candidate.values().values()):
            return True
    return False


def protect_and_audit(
    dataset: StatisticsDataset, raw: dict[str, Table], units: dict[str, list]
) -> dict[str, dict]:
    """The dataset's tables (`raw`, counted from `units`) protected together and
    checked against everything released: withheld further while the auditor
    finds something newly unsafe. Raises ReleaseRefused when that cannot make
    them safe."""
    k = dataset.min_cell_size
    tables = protect_dataset(raw, k)
    ledger = _ledger(raw)
    auditors = {m: audit_lp.Auditor(m, ledger[m], unit_cells) for m in raw}
    members = {m: list(audit_lp.cells_of_units(units[m], dataset.dimensions)) for m in raw}
    branch_ids = sorted(branch.pk for branch in dataset.branches.all())
    forced: dict[str, set] = {}
    while True:
        more: dict[str, set] = {}
        for measure, table in tables.items():
            definition = audit_lp.definition_of(dataset, table, branch_ids)
            candidate = audit_lp.Released(CANDIDATE, definition, table)
            found = auditors[measure].new_findings(candidate, members[measure])
            if not found:
                continue
            extra = auditors[measure].to_withhold(candidate, found)
            if not extra:
                raise ReleaseRefused(Refusal.UNSAFE)
            more[measure] = extra
        if not more:
            break
        for measure, extra in more.items():
            forced.setdefault(measure, set()).update(extra)
        tables = protect_dataset(raw, k, forced=forced)
        if not _any_published(tables):
            raise ReleaseRefused(Refusal.ALL_WITHHELD)
    return tables


def fingerprint(definition: dict, figures: dict) -> str:
    payload = json.dumps([definition, figures], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def _serialise_releases() -> None:
    """One release judged at a time, so that two cannot each pass without the other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5EA1ED])


@transaction.atomic
def dataset_release(*, actor: User | None, dataset: StatisticsDataset, channel: str) -> list:
    """Record the dataset's tables as released through `channel`. A table
    already in the ledger releases nothing new; one not yet in it is audited
    again first (other tables may have left since it was generated) and, if
    it would now expose a small group, nothing is released."""
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
        candidate = audit_lp.Released(CANDIDATE, definition, table)
        auditor = audit_lp.Auditor(measure, _ledger([measure])[measure], unit_cells)
        if auditor.new_findings(candidate):
            raise ValidationError(
                _(
                    "Tables released since this dataset was generated would, together with "
                    "it, expose a small group. Generate the dataset again before releasing it."
                ),
                code="generate_again",
            )
        new.append(
            Release(
                dataset=dataset,
                measure=measure,
                channel=channel,
                released_by=actor,
                definition=definition,
                figures=table,
                fingerprint=digest,
            )
        )
    for release in new:
        release.save()
    return new
