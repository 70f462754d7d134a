"""Fictional demo cases for the quick start (never in production)."""

from datetime import timedelta

from django.utils import timezone

from counselling import services
from counselling.models import Client
from ngo.accounts.models import User
from ngo.directory import services as directory_services
from ngo.directory.models import Organisation

ORGANISATIONS = [
    ("서울의료원", "Seoul Medical Center", "hospital", "KR", "local"),
    ("대한법률구조공단", "Korea Legal Aid Corporation", "legal_aid", "KR", "national"),
    ("종로경찰서", "Jongno Police Station", "police", "KR", "local"),
    ("서울출입국·외국인청", "Seoul Immigration Office", "immigration_office", "KR", "local"),
    ("이주여성 쉼터", "Migrant Women's Shelter", "shelter", "KR", "local"),
    (
        "공익인권법재단 공감",
        "Korean Public Interest Lawyers' Group GONGGAM",
        "lawyers",
        "KR",
        "national",
    ),
    ("", "Migrant Forum in Asia", "international", "PH", "international"),
    (
        "이주민과 함께하는 공동위원회",
        "Joint Committee with Migrants in Korea",
        "ngo",
        "KR",
        "national",
    ),
    (
        "",
        "Asia Pacific Forum on Women, Law and Development",
        "international",
        "TH",
        "international",
    ),
    ("한국 베트남 공동체", "Vietnamese Community in Korea", "community_group", "KR", "national"),
]

CLIENTS = [
    # (actor email, client values, case values, risk answers or None)
    (
        "counsellor@demo.hamkke.kr",
        {
            "name_original": "Nguyễn Thị Hoa",
            "name_romanised": "Nguyen Thi Hoa",
            "nationality": "VN",
            "languages": ["vi"],
            "interpreter_needed": True,
            "residence_status": "F-6",
            "marital_status": "separated",
            "phone": "010-0000-1001",
            "safe_contact": "Never leave a message; call only 10-16h.",
            "narrative": "Fictional demo record.",
        },
        {"case_types": ["domestic_violence", "residence"]},
        {"threats_to_kill": True, "strangulation": True, "residence_threats": True},
    ),
    (
        "counsellor@demo.hamkke.kr",
        {
            "name_original": "Maria Santos",
            "name_romanised": "Maria Santos",
            "nationality": "PH",
            "languages": ["tl", "en"],
            "residence_status": "E-9",
            "marital_status": "single",
            "phone": "010-0000-1002",
            "narrative": "Fictional demo record.",
        },
        {"case_types": ["labour"]},
        {"documents_withheld": True},
    ),
    (
        "counsellor@demo.hamkke.kr",
        {
            "name_original": "ស្រី ពៅ",
            "name_romanised": "Srey Pov",
            "nationality": "KH",
            "languages": ["km"],
            "interpreter_needed": True,
            "residence_status": "undocumented",
            "marital_status": "partner",
            "phone": "010-0000-1003",
            "narrative": "Fictional demo record.",
        },
        {"case_types": ["health"], "restricted": True},
        None,
    ),
    (
        "counsellor.busan@demo.hamkke.kr",
        {
            "name_original": "Батцэцэг",
            "name_romanised": "Battsetseg",
            "nationality": "MN",
            "languages": ["mn", "ru"],
            "residence_status": "F-6",
            "marital_status": "divorce_pending",
            "phone": "010-0000-2001",
            "narrative": "Fictional demo record.",
        },
        {"case_types": ["domestic_violence", "family_law"]},
        {"escalation": True},
    ),
]


def load() -> None:
    if Client.objects.exists():
        return
    for name_ko, name_en, kind, country, scope in ORGANISATIONS:
        if not Organisation.objects.filter(name_en=name_en).exists():
            directory_services.organisation_create(
                actor=None,
                name_ko=name_ko,
                name_en=name_en,
                kind=kind,
                country=country,
                scope=scope,
            )
    hospital = Organisation.objects.get(kind="hospital")
    today = timezone.localdate()
    # Visa dates that reminders pick up: one this week, one in a month.
    visa_in_days = {"F-6": 6, "E-9": 29}
    for email, client, case_values, risk in CLIENTS:
        actor = User.objects.get(email=email)
        if client["residence_status"] in visa_in_days and "visa_expiry" not in client:
            days = visa_in_days.pop(client["residence_status"])
            client = {**client, "visa_expiry": today + timedelta(days=days)}
        _client, case = services.client_intake(
            actor=actor,
            branch=actor.branches.first(),
            client=client,
            case=case_values,
            confirm_not_duplicate=True,
        )
        services.session_record(
            actor=actor,
            case=case,
            mode="in_person",
            language=client["languages"][0],
            services=["counselling", "legal_advice"],
            notes="First meeting (demo).",
            follow_up_on=today + timedelta(days=7),
        )
        services.consent_record(
            actor=actor,
            client=case.client,
            purpose="store_data",
            given=True,
            explanation_language=client["languages"][0],
        )
        if risk is not None:
            services.risk_assess(actor=actor, case=case, answers=risk)
        if client["name_romanised"] == "Nguyen Thi Hoa":
            services.consent_record(
                actor=actor,
                client=case.client,
                purpose="share_referral",
                given=True,
                explanation_language="vi",
                organisation_kinds=["hospital", "legal_aid", "shelter"],
            )
            services.referral_create(
                actor=actor,
                case=case,
                organisation=hospital,
                reason="Medical record of injuries (demo).",
            )
            services.case_event_add(
                actor=actor,
                case=case,
                kind="court_hearing",
                starts_at=timezone.now() + timedelta(days=20),
                place="Seoul Family Court",
            )
            services.child_add(actor=actor, client=case.client, first_name="Minh", age=5)
