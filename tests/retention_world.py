"""A woman with a distinctive value in every personal field, recorded in 2014,
her case closed in January 2015; and the clock of the day her records fall due."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

SEOUL = ZoneInfo("Asia/Seoul")
RECORDED = datetime(2014, 3, 10, 10, 0, tzinfo=SEOUL)
CLOSED_ON = date(2015, 1, 10)
# Ten years after the closure, at three in the morning (the daily task's hour).
DUE_DAY = datetime(2025, 1, 10, 3, 0, tzinfo=SEOUL)

PHONE = "010-9876-5432"
SECRETS = [
    "쿠오렌벡",
    "Zyxwvuta Quorrenbeck",
    "9876-5432",
    "77 Quorrenbeck-ro",
    "Safe-QX-aunt",
    "Codeword-QX",
    "Mustnotknow-QX",
    "Go-between-QX",
    "Narrative-QX",
    "Session-QX",
    "Interp-QX",
    "InterpOrg-QX",
    "Event-QX",
    "Court-QX",
    "Risk-QX",
    "Plan-QX",
    "Action-QX",
    "Resp-QX",
    "Review-QX",
    "Referral-QX",
    "Summary-QX",
    "Closure-QX",
    "Zorblina",
    "ChildNote-QX",
    "Title-QX",
    "letter-qx",
    "Filecontent-QX",
    "Discharge-QX",
    "Hold-QX",
    "Contact-QX",
    "Rights-QX",
    "Incident-QX",
    "1990-06-15",
    "2012-02-02",
]
PDF = b"%PDF-1.4\n% Filecontent-QX\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def rich_client(personas, branch, organisation, *, name="Zyxwvuta Quorrenbeck", phone=PHONE):
    """Her, through the services, as the counsellors of 2014 recorded her."""
    from counselling import services
    from counselling.programmes import services as ps
    from counselling.retention import services as rs
    from counselling.shelters import services as ss

    counsellor, admin = personas.counsellor_a, personas.admin
    with time_machine.travel(RECORDED, tick=False):
        client, case = services.client_intake(
            actor=counsellor,
            branch=branch,
            client={
                "name_original": "쿠오렌벡",
                "name_romanised": name,
                "birth_date": date(1990, 6, 15),
                "nationality": "VN",
                "languages": ["vi"],
                "residence_status": "F-6",
                "visa_expiry": date(2016, 8, 23),
                "phone": phone,
                "address": "77 Quorrenbeck-ro, Mapo-gu",
                "safe_contact": "Safe-QX-aunt only",
                "narrative": "Narrative-QX of what happened",
            },
            case={"case_types": ["domestic_violence"], "summary": "Summary-QX"},
            children=[
                {"first_name": "Zorblina", "birth_date": date(2012, 2, 2), "notes": "ChildNote-QX"}
            ],
            assigned=[counsellor],
            confirm_not_duplicate=True,
        )
        services.consent_record(
            actor=counsellor,
            client=client,
            purpose="statistics",
            given=True,
            explanation_language="vi",
        )
        services.consent_record(
            actor=counsellor,
            client=client,
            purpose="share_referral",
            given=True,
            explanation_language="vi",
            organisation_kinds=[organisation.kind],
        )
        session = services.session_record(
            actor=counsellor,
            case=case,
            mode="in_person",
            language="vi",
            services=["counselling", "legal_advice"],
            notes="Session-QX notes",
            interpreter_name="Interp-QX",
            interpreter_organisation="InterpOrg-QX",
        )
        services.case_event_add(
            actor=counsellor,
            case=case,
            kind="court_hearing",
            starts_at=RECORDED + timedelta(days=20),
            place="Court-QX",
            notes="Event-QX",
        )
        services.risk_assess(
            actor=counsellor, case=case, answers={"threats_to_kill": True}, notes="Risk-QX"
        )
        plan = services.safety_plan_create(
            actor=counsellor,
            case=case,
            items=[{"action": "Action-QX", "responsible": "Resp-QX"}],
            notes="Plan-QX",
        )
        services.safety_plan_review(actor=counsellor, plan=plan, note="Review-QX")
        services.referral_create(
            actor=counsellor, case=case, organisation=organisation, reason="Referral-QX"
        )
        from counselling.safety import services as safety

        safety.safety_record_save(
            actor=counsellor,
            client=client,
            values={
                "allowed_channels": ["contact_person"],
                "contact_person": "Go-between-QX",
                "who_must_not_know": "Mustnotknow-QX",
                "code_word": "Codeword-QX",
                "immediate_danger": True,
            },
        )
        document = services.document_upload(
            actor=counsellor,
            client=client,
            session=session,
            title="Title-QX",
            uploaded_file=SimpleUploadedFile("letter-qx.pdf", PDF),
        )
        from counselling.incidents import services as incidents
        from counselling.letters import services as letters

        incidents.incident_record(
            actor=counsellor,
            case=case,
            violence_type="psychological",
            occurred_on=case.opened_on,
            place="her_home",
            perpetrator="husband",
            description="Incident-QX",
        )

        letters.letter_approve(
            actor=personas.manager_a, letter=letters.letter_prepare(actor=counsellor, case=case)
        )
        shelter = ss.shelter_create(
            actor=admin,
            branch=branch,
            name=f"Shelter {client.pk}",
            address="비공개",
            max_stay_days=90,
        )
        bed = ss.bed_create(
            actor=admin, room=ss.room_create(actor=admin, shelter=shelter, name="1"), label="A"
        )
        stay = ss.stay_admit(actor=admin, case=case, bed=bed, children=list(client.children.all()))
        ss.stay_discharge(actor=admin, stay=stay, destination="independent", notes="Discharge-QX")
        programme = ps.programme_create(
            actor=admin,
            branch=branch,
            title_ko="한국어",
            title_en="Korean",
            kind="korean",
            facilitator=personas.volunteer,
            language="ko",
            completion_threshold=50,
            starts_on=RECORDED.date(),
        )
        ps.enrol(actor=admin, programme=programme, client=client, member_contact="Contact-QX")
        hold = rs.hold_set(
            actor=personas.manager_a, client=client, case=case, reason="Hold-QX family court"
        )
        rs.hold_release(actor=personas.manager_a, hold=hold)
        # Her requests under PIPA, and a copy of her data built and stored.
        from counselling.rights import services as rights
        from counselling.rights.tasks import build_export

        rights.request_record(
            actor=counsellor, client=client, kind="correction", asked="Rights-QX spelling"
        )
        export = rights.export_prepare(
            actor=counsellor, client=client, requester="herself", identity_check="alien_card"
        )
        rights.export_approve(actor=personas.manager_a, export=export)
        assert build_export.apply(args=[export.pk]).get() == "built"
    with time_machine.travel(datetime.combine(CLOSED_ON, datetime.min.time(), SEOUL), tick=False):
        services.case_change_status(
            actor=counsellor,
            case=case,
            to="closed",
            closure_reason="resolved",
            closure_note="Closure-QX",
        )
    client.refresh_from_db()
    case.refresh_from_db()
    return client, case, document
