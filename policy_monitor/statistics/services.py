"""Every write on shadow-report datasets, and their generation.

Generation reads the case files of the chosen branches and period in a fixed
number of queries (cases, sessions, incidents, clients with their consent and
children), counts in Python - the residence status is an encrypted column and
is decrypted here, never filtered in SQL - and keeps only the suppressed tables.

Who is counted: women whose newest decision for the "statistics" consent
purpose is a yes at the time of generation (the same rule as
counselling.services.consent_in_force). The others, with their cases and
sessions, are left out; only their number is kept.
"""

from __future__ import annotations

import calendar
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.incidents.models import Incident
from counselling.models import (
    Case,
    Child,
    Client,
    Consent,
    ConsentPurpose,
    CounsellingSession,
)
from ngo.accounts.models import Branch, User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.celery_helpers import enqueue_on_commit
from policy_monitor.statistics import auditor, calls, exports, ledger, tabulation
from policy_monitor.statistics.models import (
    DatasetStatus,
    Measure,
    PeriodBasis,
    ReleaseChannel,
    StatisticsDataset,
)

logger = logging.getLogger("policy_monitor.statistics")

# A generation claimed longer ago than this was cut short (the worker died);
# the next run takes it over.
STALE_CLAIM = timedelta(minutes=15)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _in_catalogue_order(values: list, catalogue: list) -> list:
    """Known values in the catalogue's order; anything else is left for
    validation to refuse."""
    if set(values) <= set(catalogue) and len(set(values)) == len(values):
        return [value for value in catalogue if value in values]
    return values


@transaction.atomic
def dataset_create(
    *,
    actor: User,
    title: str,
    period_from: date,
    period_to: date,
    dimensions: list[str],
    measures: list[str],
    purpose: str = "",
    period_basis: str = PeriodBasis.SERVED,
    branches: Iterable[Branch] = (),
    min_cell_size: int = tabulation.DEFAULT_CELL_SIZE,
    generate: bool = True,
) -> StatisticsDataset:
    """Define a dataset (whole months) and, unless told not to, queue its generation."""
    dataset = StatisticsDataset(
        title=(title or "").strip(),
        purpose=(purpose or "").strip(),
        period_from=month_start(period_from) if period_from else None,
        period_to=month_end(period_to) if period_to else None,
        period_basis=period_basis,
        dimensions=list(dimensions or []),
        measures=_in_catalogue_order(list(measures or []), Measure.values),
        min_cell_size=min_cell_size,
        created_by=actor,
    )
    dataset.full_clean()
    dataset.save()
    dataset.branches.set(list(branches))
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=dataset,
        fields=[
            "title",
            "purpose",
            "period_from",
            "period_to",
            "period_basis",
            "branches",
            "dimensions",
            "measures",
            "min_cell_size",
        ],
    )
    if generate:
        dataset_request_generation(actor=actor, dataset=dataset)
    return dataset


@transaction.atomic
def dataset_request_generation(*, actor: User, dataset: StatisticsDataset) -> StatisticsDataset:
    """Queue a (re)generation from the current case files. The web request
    returns at once; a worker does the counting."""
    dataset = StatisticsDataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.status == DatasetStatus.PUBLISHED:
        raise ValidationError(_("A published dataset is frozen: create a new one instead."))
    dataset.status = DatasetStatus.QUEUED
    dataset.generation_requested_by = actor
    dataset.generation_started_at = None
    dataset.tables = {}
    dataset.save(
        update_fields=["status", "generation_requested_by", "generation_started_at", "tables"]
    )
    audit_record(
        action=AuditAction.UPDATE, actor=actor, obj=dataset, fields=["status"], reason="generate"
    )
    enqueue_on_commit("policy_monitor.generate_dataset", args=[dataset.pk])
    return dataset


def _claim(dataset_id: int) -> datetime | None:
    """Take the generation with a compare-and-swap UPDATE; None if someone
    else holds it or there is nothing to do."""
    now = timezone.now()
    claimed = (
        StatisticsDataset.objects.filter(pk=dataset_id, status=DatasetStatus.QUEUED)
        .filter(
            Q(generation_started_at__isnull=True) | Q(generation_started_at__lt=now - STALE_CLAIM)
        )
        .update(generation_started_at=now)
    )
    return now if claimed else None


def dataset_generate(*, dataset_id: int) -> str:
    """Count, suppress and store. Safe to run twice: only a queued dataset is
    claimed, and the result is stored only if the claim still holds."""
    claimed_at = _claim(dataset_id)
    if claimed_at is None:
        return "skipped"
    dataset = StatisticsDataset.objects.get(pk=dataset_id)
    try:
        tables, counted, excluded = compute_tables(dataset)
    except ledger.ReleaseRefused as refused:
        return _refuse(dataset, claimed_at, refused.refusal)
    except Exception:
        logger.exception("statistics dataset %s could not be generated", dataset_id)
        with transaction.atomic():
            failed = StatisticsDataset.objects.filter(
                pk=dataset_id, status=DatasetStatus.QUEUED, generation_started_at=claimed_at
            ).update(status=DatasetStatus.FAILED, generation_started_at=None)
            if failed:
                audit_record(
                    action=AuditAction.UPDATE,
                    actor=dataset.generation_requested_by,
                    obj=dataset,
                    fields=["status"],
                    reason="generation_failed",
                )
        return "failed"
    with transaction.atomic():
        stored = StatisticsDataset.objects.filter(
            pk=dataset_id, status=DatasetStatus.QUEUED, generation_started_at=claimed_at
        ).update(
            status=DatasetStatus.GENERATED,
            tables=tables,
            refusal="",
            counted_clients=counted,
            excluded_clients=excluded,
            generated_at=timezone.now(),
            generation_started_at=None,
        )
        if not stored:
            return "skipped"
        audit_record(
            action=AuditAction.UPDATE,
            actor=dataset.generation_requested_by,
            obj=dataset,
            fields=["tables", "status", "counted_clients", "excluded_clients"],
            reason="generated",
        )
    return "generated"


def _refuse(dataset: StatisticsDataset, claimed_at: datetime, refusal: str) -> str:
    """The auditor refused the tables: store none of them, say why."""
    with transaction.atomic():
        refused = StatisticsDataset.objects.filter(
            pk=dataset.pk, status=DatasetStatus.QUEUED, generation_started_at=claimed_at
        ).update(
            status=DatasetStatus.REFUSED, refusal=refusal, tables={}, generation_started_at=None
        )
        if not refused:
            return "skipped"
        audit_record(
            action=AuditAction.UPDATE,
            actor=dataset.generation_requested_by,
            obj=dataset,
            fields=["status", "refusal"],
            reason="release_refused",
        )
    return "refused"


def datasets_waiting() -> list[int]:
    """Queued datasets nobody is working on (the broker was down, a worker died)."""
    now = timezone.now()
    return list(
        StatisticsDataset.objects.filter(status=DatasetStatus.QUEUED)
        .filter(
            Q(generation_started_at__isnull=True) | Q(generation_started_at__lt=now - STALE_CLAIM)
        )
        .values_list("pk", flat=True)
    )


@transaction.atomic
def dataset_publish(*, actor: User, dataset: StatisticsDataset) -> StatisticsDataset:
    """Approve the generated tables for use in a submission; they are frozen from then on."""
    dataset = StatisticsDataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.status != DatasetStatus.GENERATED:
        raise ValidationError(_("Only a generated dataset can be published."))
    dataset.status = DatasetStatus.PUBLISHED
    dataset.published_at = timezone.now()
    dataset.published_by = actor
    dataset.save(update_fields=["status", "published_at", "published_by"])
    ledger.dataset_release(
        actor=actor, dataset=dataset, channel=ReleaseChannel.PUBLISHED, cells=unit_cells
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=dataset,
        fields=["status", "published_at", "published_by"],
        reason="publish",
    )
    return dataset


@transaction.atomic
def dataset_export(*, actor: User, dataset: StatisticsDataset, file_format: str):
    """The tables as a CSV, XLSX or DOCX file; audited as an export (format and
    dataset only: the file holds aggregates and the audit holds no figures)."""
    if file_format not in exports.FORMATS:
        raise ValidationError(_("Choose CSV, XLSX or DOCX."))
    if not dataset.has_tables:
        raise ValidationError(_("The dataset has no tables yet: generate it first."))
    ledger.dataset_release(actor=actor, dataset=dataset, channel=file_format, cells=unit_cells)
    exported = exports.render(dataset, file_format)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=dataset,
        fields=["tables"],
        reason=file_format,
    )
    return exported


# --- Counting ------------------------------------------------------------------------------


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def gather(dataset: StatisticsDataset) -> dict:
    """The records to count, as plain values (no model instances), in a fixed
    number of queries whatever the number of women."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(dataset.period_from, time.min, tzinfo=tz)
    end = datetime.combine(dataset.period_to + timedelta(days=1), time.min, tzinfo=tz)
    branch_ids = list(dataset.branches.values_list("pk", flat=True))
    cases = Case.objects.all()
    if branch_ids:
        cases = cases.filter(branch_id__in=branch_ids)
    sessions = CounsellingSession.objects.filter(started_at__gte=start, started_at__lt=end)
    opened = Q(opened_on__gte=dataset.period_from, opened_on__lte=dataset.period_to)
    if dataset.period_basis == PeriodBasis.OPENED:
        cases = cases.filter(opened)
    else:
        cases = cases.filter(opened | Q(pk__in=sessions.values("case_id")))
    consent = (
        Consent.objects.filter(client=OuterRef("pk"), purpose=ConsentPurpose.STATISTICS)
        .order_by("-recorded_at", "-id")
        .values("given")[:1]
    )
    clients = (
        Client.objects.filter(pk__in=cases.values("client_id"))
        .annotate(
            statistics_consent=Subquery(consent),
            has_children=Exists(Child.objects.filter(client=OuterRef("pk"))),
        )
        .values(
            "id",
            "nationality",
            "residence_status",
            "visa_expiry",
            "birth_date",
            "estimated_age",
            "marital_status",
            "statistics_consent",
            "has_children",
        )
    )
    return {
        "branch_codes": dict(Branch.objects.values_list("pk", "code")),
        "cases": list(
            cases.values("id", "client_id", "branch_id", "case_types", "risk_level", "opened_on")
        ),
        "sessions": list(
            sessions.filter(case__in=cases.values("pk")).values(
                "id", "case_id", "started_at", "services"
            )
        ),
        "incidents": list(
            Incident.objects.filter(case__in=cases.values("pk")).values(
                "case_id", "violence_type", "perpetrator"
            )
        ),
        "clients": {row["id"]: row for row in clients},
    }


def build_units(dataset: StatisticsDataset, records: dict) -> tuple[dict[str, list], int, int]:
    """One unit per woman, per case and per session (consenting women only);
    each unit is a dict of category codes, and the "_key" of its record that
    only the release auditor reads."""
    period_from, period_to = dataset.period_from, dataset.period_to
    clients = records["clients"]
    consenting = {pk for pk, row in clients.items() if row["statistics_consent"] is True}
    excluded = len(clients) - len(consenting)
    sessions_of = defaultdict(list)
    violence_of, perpetrators_of = defaultdict(set), defaultdict(set)
    for incident in records.get("incidents", []):
        violence_of[incident["case_id"]].add(incident["violence_type"])
        perpetrators_of[incident["case_id"]].add(incident["perpetrator"])
    for session in records["sessions"]:
        sessions_of[session["case_id"]].append(
            (_local_date(session["started_at"]), session["services"] or [], session.get("id"))
        )

    def person(client: dict, on: date) -> dict:
        visa = client["visa_expiry"]
        return {
            "nationality": str(client["nationality"]) or None,
            "residence_status": client["residence_status"] or None,
            "visa_validity": None if visa is None else ("expired" if visa < period_to else "valid"),
            "age_band": tabulation.age_band(
                tabulation.age_on(client["birth_date"], client["estimated_age"], on)
            ),
            "marital_status": client["marital_status"] or None,
            "has_children": "yes" if client["has_children"] else "no",
        }

    def when(day: date) -> dict:
        return {"year": str(day.year), "quarter": tabulation.quarter_of(day)}

    case_units, session_units = [], []
    of_client = defaultdict(list)
    for case in records["cases"]:
        if case["client_id"] not in consenting:
            continue
        client = clients[case["client_id"]]
        own_sessions = sorted(sessions_of.get(case["id"], []), key=lambda s: s[0])
        opened = case["opened_on"]
        in_period = period_from <= opened <= period_to
        reference = opened if in_period or not own_sessions else own_sessions[0][0]
        common = {
            "branch": records["branch_codes"].get(case["branch_id"]),
            "case_type": sorted(case["case_types"] or []),
            "risk_level": case["risk_level"] or None,
            "violence_type": sorted(violence_of.get(case["id"], ())),
            "perpetrator": sorted(perpetrators_of.get(case["id"], ())),
        }
        unit = {
            **common,
            **when(reference),
            **person(client, reference),
            "service": sorted({s for _day, services, _id in own_sessions for s in services}),
            "_key": f"case:{case['id']}",
        }
        case_units.append(unit)
        of_client[case["client_id"]].append((reference, unit))
        for day, services, session_id in own_sessions:
            session_units.append(
                {
                    **common,
                    **when(day),
                    **person(client, day),
                    "service": sorted(set(services)),
                    "_key": f"session:{session_id}",
                }
            )
    client_units = []
    for client_id, entries in of_client.items():
        entries.sort(key=lambda entry: entry[0])
        first = entries[0][1]
        client_units.append(
            {
                **first,
                "case_type": sorted({t for _r, u in entries for t in u["case_type"]}),
                "service": sorted({s for _r, u in entries for s in u["service"]}),
                "risk_level": tabulation.highest_risk(u["risk_level"] for _r, u in entries),
                "violence_type": sorted({t for _r, u in entries for t in u["violence_type"]}),
                "perpetrator": sorted({p for _r, u in entries for p in u["perpetrator"]}),
                "_key": f"client:{client_id}",
            }
        )
    units = {
        Measure.CLIENTS: client_units,
        Measure.CASES: case_units,
        Measure.SESSIONS: session_units,
    }
    return units, len(client_units), excluded


def compute_tables(dataset: StatisticsDataset) -> tuple[dict, int, int]:
    units, counted, excluded = build_units(dataset, gather(dataset))
    if Measure.CALLS in dataset.measures:
        units[Measure.CALLS] = calls.call_units(dataset)
    rows = dataset.dimensions[0]
    columns = dataset.dimensions[1] if len(dataset.dimensions) > 1 else None
    raw = {
        measure: tabulation.tabulate(units[measure], rows, columns, k=dataset.min_cell_size)
        for measure in dataset.measures
    }
    return ledger.protect_and_audit(dataset, raw, units, cells=unit_cells), counted, excluded


def unit_cells(definition: dict, measure: str):
    """(unit key, row codes, column codes) of every unit a released table
    counts, from the current case files: what the release auditor models."""
    return auditor.unit_cells_from(definition, measure, gather=gather, build_units=build_units)


def dataset_send(*, actor: User, dataset: StatisticsDataset) -> StatisticsDataset:
    """The dataset's tables are about to be sent through the API: recorded in
    the release ledger (and audited again if they were never released)."""
    if dataset.has_tables:
        ledger.dataset_release(
            actor=actor, dataset=dataset, channel=ReleaseChannel.API, cells=unit_cells
        )
    return dataset
