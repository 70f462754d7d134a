"""A client with one of everything, for the tests of her rights (subject-access
exports, requests); and a second client at the same branch whose values must
never appear in the first one's copy."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n%HERDOCUMENTBYTES\n"

# The second client's values: distinctive, so that a leak is found.
OTHER = {
    "name_romanised": "Zenobia Quixtrel",
    "phone": "010-9876-1234",
    "narrative": "Kestrelmoon narrative of the other woman",
    "session": "Vorpalwind session note",
}


def rich_client(*, counsellor, manager, admin, branch, shelter, programme, organisations):
    """Her client record, a case, a child, a session, a key date, a referral, a
    risk assessment with a safety plan, a consent, a document, a shelter stay,
    a programme enrolment with attendance, and the reminders they make."""
    from counselling import services
    from counselling.programmes import services as ps
    from counselling.shelters import services as ss
    from ngo.reminders import services as reminders

    client, case = services.client_intake(
        actor=counsellor,
        branch=branch,
        client={
            "name_original": "Nguyễn Thị Hoa",
            "name_romanised": "Nguyen Thi Hoa",
            "nationality": "VN",
            "languages": ["vi"],
            "residence_status": "F-6",
            "phone": "010-2222-3333",
            "birth_date": date(1991, 7, 14),
            "narrative": "Her own narrative, Hoa-original-text",
        },
        case={"case_types": ["domestic_violence"]},
        assigned=[counsellor],
        confirm_not_duplicate=True,
    )
    services.child_add(actor=counsellor, client=client, first_name="Minh", age=4)
    session = services.session_record(
        actor=counsellor,
        case=case,
        mode="in_person",
        language="vi",
        services=["counselling"],
        notes="Hoa session note",
    )
    services.case_event_add(
        actor=counsellor,
        case=case,
        kind="court_hearing",
        starts_at=timezone.now() + timedelta(days=9),
        notes="Hoa hearing",
    )
    services.risk_assess(
        actor=counsellor, case=case, answers={"threats_to_kill": True}, notes="Hoa risk note"
    )
    services.safety_plan_create(
        actor=counsellor, case=case, items=[{"action": "Keep a bag ready", "responsible": "client"}]
    )
    services.consent_record(
        actor=counsellor,
        client=client,
        purpose="share_referral",
        given=True,
        explanation_language="vi",
        organisation_kinds=["hospital"],
    )
    services.referral_create(
        actor=counsellor,
        case=case,
        organisation=organisations["hospital"],
        reason="Hoa referral reason",
    )
    services.document_upload(
        actor=counsellor,
        client=client,
        case=case,
        session=session,
        uploaded_file=SimpleUploadedFile("hoa-statement.pdf", PDF),
        title="Her statement",
    )
    ss.stay_admit(actor=admin, case=case, bed=shelter.test_beds["a"])
    class_session = ps.class_session_add(
        actor=manager, programme=programme, starts_at=timezone.now() - timedelta(hours=2)
    )
    enrolment = ps.enrol(actor=manager, programme=programme, client=client)
    ps.attendance_record(actor=manager, session=class_session, present={enrolment.pk: True})
    from counselling.incidents import services as incidents
    from counselling.letters import services as letters
    from counselling.retention import services as retention

    incidents.incident_record(
        actor=counsellor,
        case=case,
        violence_type="physical_assault",
        occurred_on=timezone.localdate() - timedelta(days=30),
        place="her_home",
        perpetrator="husband",
        description="Hoa incident description",
    )

    letter = letters.letter_prepare(actor=counsellor, case=case)
    letters.letter_approve(actor=manager, letter=letter)
    retention.hold_set(
        actor=manager, client=client, case=case, reason="Hoa divorce suit, family court"
    )
    _transfer_and_approval(counsellor, case, branch)
    from counselling.safety import services as safety

    safety.safety_record_save(
        actor=counsellor,
        client=client,
        values={"forbidden_channels": ["phone_call"], "code_word": "Hoa lotus"},
    )
    _call_and_service(counsellor, case, branch)
    reminders.refresh()
    return client


def _call_and_service(counsellor, case, branch):
    """A hotline call linked to her case, and a service she was given."""
    from counselling.hotline import services as hotline
    from counselling.support import services as support

    call = hotline.call_record(
        actor=counsellor, branch=branch, topics=["domestic_violence"], advice="Hoa call advice"
    )
    hotline.call_link(actor=counsellor, call=call, case=case)
    support.service_add(actor=counsellor, case=case, kind="medical", cost_krw=25000)


def _transfer_and_approval(counsellor, case, branch):
    """A transfer of her case awaiting the other branch, and her safety plan
    awaiting the branch manager's approval."""
    from counselling.approvals import services as approvals
    from counselling.transfers import services as transfers
    from ngo.accounts.models import Branch

    transfers.transfer_request(
        actor=counsellor,
        case=case,
        to_branch=Branch.objects.exclude(pk=branch.pk).filter(is_head_office=False).first(),
        reason="Hoa moves to her sister's town",
    )
    approvals.plan_request(actor=counsellor, plan=case.safety_plans.get(is_active=True))


def other_client(*, counsellor, branch):
    from counselling import services
    from counselling.models import Client

    client, case = services.client_intake(
        actor=counsellor,
        branch=branch,
        client={
            "name_romanised": OTHER["name_romanised"],
            "nationality": "PH",
            "languages": ["tl"],
            "phone": OTHER["phone"],
            "narrative": OTHER["narrative"],
        },
        case={"case_types": ["labour"]},
        assigned=[counsellor],
        confirm_not_duplicate=True,
    )
    services.session_record(
        actor=counsellor, case=case, mode="phone", services=["counselling"], notes=OTHER["session"]
    )
    return Client.objects.get(pk=client.pk)


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pdf_text(pdf: bytes) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is needed"
    return subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def sections_of(data: bytes) -> dict:
    return json.loads(members(data)["data.json"])["sections"]
