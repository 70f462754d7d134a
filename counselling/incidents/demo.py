"""Fictional incidents on the demo cases (never in production). Idempotent."""

from datetime import timedelta

from django.utils import timezone

from counselling.incidents import services
from counselling.incidents.models import Incident
from counselling.models import Case

# (her romanised name, days ago, values): one broker-involved forced marriage.
INCIDENTS = [
    (
        "Nguyen Thi Hoa",
        40,
        {
            "violence_type": "physical_assault",
            "place": "her_home",
            "perpetrator": "husband",
            "broker_involved": "no",
            "reported_to_police": "yes",
            "perpetrator_count": 1,
            "description": "Pushed against the wall during an argument (demo).",
        },
    ),
    (
        "Nguyen Thi Hoa",
        75,
        {
            "violence_type": "psychological",
            "date_approximate": True,
            "place": "in_laws_home",
            "perpetrator": "in_law",
            "reported_to_police": "no",
            "description": "Threats to have her visa extension withdrawn (demo).",
        },
    ),
    (
        "Battsetseg",
        200,
        {
            "violence_type": "forced_marriage",
            "date_approximate": True,
            "place": "other",
            "perpetrator": "broker",
            "broker_involved": "yes",
            "reported_to_police": "no",
            "description": "Pressed by the agency to marry before arrival (demo).",
        },
    ),
    (
        "Maria Santos",
        20,
        {
            "violence_type": "denial",
            "place": "workplace",
            "perpetrator": "employer",
            "reported_to_police": "unknown",
        },
    ),
]


def load() -> None:
    if Incident.objects.exists():
        return
    today = timezone.localdate()
    # Her name is encrypted: matched here, among the few demo cases, not in SQL.
    first_case = {}
    for case in Case.objects.select_related("client", "created_by").order_by("pk"):
        first_case.setdefault(case.client.name_romanised, case)
    for name, days_ago, values in INCIDENTS:
        case = first_case.get(name)
        if case is None:
            continue
        services.incident_record(
            actor=case.created_by,
            case=case,
            occurred_on=today - timedelta(days=days_ago),
            **values,
        )
