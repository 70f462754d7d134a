"""The Python counting engine that generation used before counting moved to
SQL, kept as the oracle of tests/test_statistics_sql.py: it loads every case,
session, incident and client row of a dataset and builds one unit per woman,
case and session (the residence status decrypted in Python)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from counselling.incidents.models import Incident
from counselling.models import Case, Child, Client, Consent, ConsentPurpose, CounsellingSession
from ngo.accounts.models import Branch
from policy_monitor.statistics import tabulation
from policy_monitor.statistics.models import Measure, PeriodBasis, StatisticsDataset


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
            sessions.filter(case__in=cases.values("pk")).values("case_id", "started_at", "services")
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
    each unit is a dict of category codes and nothing else."""
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
            (_local_date(session["started_at"]), session["services"] or [])
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
            "service": sorted({s for _day, services in own_sessions for s in services}),
        }
        case_units.append(unit)
        of_client[case["client_id"]].append((reference, unit))
        for day, services in own_sessions:
            session_units.append(
                {**common, **when(day), **person(client, day), "service": sorted(set(services))}
            )
    client_units = []
    for entries in of_client.values():
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
            }
        )
    units = {
        Measure.CLIENTS: client_units,
        Measure.CASES: case_units,
        Measure.SESSIONS: session_units,
    }
    return units, len(client_units), excluded
