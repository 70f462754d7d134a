"""A fixed randomised population of women, cases, sessions, incidents,
children and consents for the tests of counting in SQL (the same seed, the
same case files, on any day: every date is in 2024-2025)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from counselling import services
from counselling.incidents.models import Perpetrator, ViolenceType
from counselling.models import Case, CaseType, ConsentPurpose, MaritalStatus, ResidenceStatus
from counselling.models.choices import RiskLevel, Service
from tests.incidents_helpers import record

NATIONALITIES = ["VN"] * 8 + ["PH"] * 5 + ["KH"] * 3 + ["CN", "MN", "NP", ""]
FIRST_DAY = date(2024, 10, 1)


def _day(rng: random.Random, span: int = 440) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(span))


def _moment(day: date, rng: random.Random) -> datetime:
    # Late evening sessions: local and UTC days differ.
    return timezone.make_aware(datetime(day.year, day.month, day.day, rng.choice([9, 14, 23])))


def consent(actor, client, given: bool) -> None:
    services.consent_record(
        actor=actor,
        client=client,
        purpose=ConsentPurpose.STATISTICS,
        given=given,
        explanation_language="vi",
    )


def populate(personas, n: int = 36, seed: int = 20250101) -> list:
    rng = random.Random(seed)
    counsellors = [personas.counsellor_a, personas.counsellor_b]
    clients = []
    for i in range(n):
        actor = rng.choice(counsellors)
        has_birth = rng.random() < 0.7
        client_values = {
            "name_romanised": f"World Woman {i}",
            "nationality": rng.choice(NATIONALITIES),
            "languages": ["vi"],
            "residence_status": rng.choice([*ResidenceStatus.values, None]),
            "birth_date": date(
                rng.randrange(1950, 2008), rng.randrange(1, 13), rng.randrange(1, 29)
            )
            if has_birth
            else None,
            "estimated_age": None if has_birth or rng.random() < 0.3 else rng.randrange(18, 70),
            "visa_expiry": _day(rng, 600) if rng.random() < 0.7 else None,
            "marital_status": rng.choice(MaritalStatus.values),
            "phone": f"010-7777-{i:04d}",
        }
        client, case = services.client_intake(
            actor=actor,
            branch=actor.branches.first(),
            client=client_values,
            case={
                "case_types": rng.sample(CaseType.values, rng.randrange(1, 3)),
                "opened_on": _day(rng),
            },
            assigned=[actor],
            confirm_not_duplicate=True,
        )
        cases = [case]
        if rng.random() < 0.3:
            other = rng.choice(counsellors)
            cases.append(
                services.case_open(
                    actor=other,
                    client=client,
                    branch=other.branches.first(),
                    assigned=[other],
                    case_types=rng.sample(CaseType.values, 1),
                    opened_on=_day(rng),
                )
            )
        for case in cases:
            Case.objects.filter(pk=case.pk).update(risk_level=rng.choice(RiskLevel.values))
            for _s in range(rng.randrange(0, 4)):
                services.session_record(
                    actor=case.created_by,
                    case=case,
                    mode="phone",
                    started_at=_moment(case.opened_on + timedelta(days=rng.randrange(0, 200)), rng),
                    services=rng.sample(Service.values, rng.randrange(0, 3)),
                )
            for _n in range(rng.randrange(0, 3)):
                record(
                    case,
                    violence_type=rng.choice(ViolenceType.values),
                    perpetrator=rng.choice(Perpetrator.values),
                )
        if rng.random() < 0.3:
            services.child_add(actor=actor, client=client, first_name="Bao")
        answer = rng.random()
        if answer < 0.7:
            consent(actor, client, True)
        elif answer < 0.8:
            consent(actor, client, False)
        elif answer < 0.9:
            consent(actor, client, True)
            consent(actor, client, False)
        clients.append(client)
    return clients
