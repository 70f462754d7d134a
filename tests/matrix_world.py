"""The records the permission matrix requests: the demo data (one account per
role, clients at two branches, campaigns, policy) plus, written through the
services, one record of every kind the addresses name at the Seoul branch
(SEO, where the branch personas work) and at the Busan branch (BUS)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model
from django.utils import timezone

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The personas: the demo account of each role (the branch ones work at SEO).
PERSONAS = {
    "counsellor": "counsellor@demo.hamkke.kr",
    "shelter_worker": "shelter@demo.hamkke.kr",
    "branch_manager": "manager@demo.hamkke.kr",
    "campaign_coordinator": "coordinator@demo.hamkke.kr",
    "policy_officer": "policy@demo.hamkke.kr",
    "auditor": "auditor@demo.hamkke.kr",
    "volunteer": "volunteer@demo.hamkke.kr",
    "administrator": "admin@demo.hamkke.kr",
}
OWN, OTHER = "own branch", "other branch"


def _branch_records(branch, *, counsellor, manager, admin, volunteer) -> dict:
    """A case with one of everything on it, a shelter with a stay and a hold,
    a programme with a class and an enrolment, all at `branch`."""
    from counselling import services
    from counselling.programmes import services as ps
    from counselling.shelters import services as ss
    from policy_monitor.statistics import services as stats

    today = timezone.localdate()
    client, case = services.client_intake(
        actor=counsellor,
        branch=branch,
        client={
            "name_romanised": f"Matrix {branch.code}",
            "nationality": "VN",
            "languages": ["vi"],
            "residence_status": "F-6",
            "phone": f"010-7777-{branch.pk:04d}",
        },
        case={"case_types": ["domestic_violence"]},
        assigned=[counsellor],
        confirm_not_duplicate=True,
    )
    session = services.session_record(
        actor=counsellor, case=case, mode="in_person", language="vi", services=["counselling"]
    )
    event = services.case_event_add(
        actor=counsellor,
        case=case,
        kind="court_hearing",
        starts_at=timezone.now() + timedelta(days=9),
    )
    risk = services.risk_assess(actor=counsellor, case=case, answers={})
    plan = services.safety_plan_create(
        actor=counsellor, case=case, items=[{"action": "Keep a bag ready", "responsible": "client"}]
    )
    consent = services.consent_record(
        actor=counsellor,
        client=client,
        purpose="share_referral",
        given=True,
        explanation_language="vi",
        organisation_kinds=["hospital"],
    )
    from ngo.directory.models import Organisation

    referral = services.referral_create(
        actor=counsellor,
        case=case,
        organisation=Organisation.objects.filter(kind="hospital").first(),
        reason="Medical record.",
    )
    child = services.child_add(actor=counsellor, client=client, first_name="Minh", age=4)
    document = services.document_upload(
        actor=counsellor, client=client, case=case, uploaded_file=SimpleUploadedFile("n.pdf", PDF)
    )
    shelter = ss.shelter_create(
        actor=admin,
        branch=branch,
        name=f"Shelter {branch.code}",
        address="비공개",
        max_stay_days=90,
    )
    room = ss.room_create(actor=admin, shelter=shelter, name="101")
    bed, free_bed = (ss.bed_create(actor=admin, room=room, label=label) for label in "AB")
    stay = ss.stay_admit(actor=admin, case=case, bed=bed)
    hold = ss.bed_hold(actor=admin, bed=free_bed)
    ss.bed_create(actor=admin, room=room, label="C")
    from counselling.shelters import bed_requests

    bed_request = bed_requests.bed_request_create(
        actor=admin,
        case=case,
        shelter=shelter,
        from_date=today,
        reason="She cannot go home tonight.",
        urgency="tonight",
    )
    programme = ps.programme_create(
        actor=admin,
        branch=branch,
        title_ko="한국어",
        title_en="Korean",
        kind="korean",
        facilitator=volunteer if branch.code == "SEO" else manager,
        language="ko",
        completion_threshold=50,
        starts_on=today,
    )
    class_session = ps.class_session_add(
        actor=admin, programme=programme, starts_at=timezone.now() + timedelta(days=2)
    )
    enrolment = ps.enrol(actor=admin, programme=programme, client=client)
    dataset = stats.dataset_create(
        actor=admin,
        title=f"Cases {branch.code}",
        period_from=today.replace(day=1) - timedelta(days=60),
        period_to=today.replace(day=1) - timedelta(days=1),
        dimensions=["nationality"],
        measures=["clients"],
        branches=[branch],
        generate=False,
    )
    # Nobody in this world consented, so a request to generate is refused
    # (preview.py); the tables are made as the worker makes them once queued.
    type(dataset).objects.filter(pk=dataset.pk).update(status="queued")
    stats.dataset_generate(dataset_id=dataset.pk)
    letter = _issued_letter(case, counsellor=counsellor, manager=manager)
    from counselling.incidents import services as incidents

    incident = incidents.incident_record(
        actor=counsellor,
        case=case,
        violence_type="physical_assault",
        occurred_on=today - timedelta(days=3),
        place="her_home",
        perpetrator="husband",
    )
    legal_hold, batch = _retention_records(branch, client, admin)
    from counselling.rights import services as rights

    access_export = rights.export_prepare(
        actor=counsellor, client=client, requester="herself", identity_check="alien_card"
    )
    rights_request = rights.request_record(
        actor=counsellor, client=client, kind="correction", asked="Spell my name right."
    )
    from counselling.hotline import services as hotline
    from counselling.support import services as support

    call = hotline.call_record(actor=counsellor, branch=branch, topics=["labour"])
    service_given = support.service_add(actor=counsellor, case=case, kind="medical", cost_krw=1000)
    transfer, approval = _transfer_and_approval(case, plan, counsellor=counsellor)
    return {
        "HotlineCall": call,
        "ServiceGiven": service_given,
        "Transfer": transfer,
        "ApprovalRequest": approval,
        "Letter": letter,
        "Incident": incident,
        "Client": client,
        "Case": case,
        "CounsellingSession": session,
        "CaseEvent": event,
        "RiskAssessment": risk,
        "SafetyPlan": plan,
        "SafetyPlanItem": plan.items.first(),
        "Consent": consent,
        "Referral": referral,
        "Child": child,
        "Document": document,
        "Shelter": shelter,
        "Room": room,
        "Bed": free_bed,
        "Stay": stay,
        "BedHold": hold,
        "BedRequest": bed_request,
        "Programme": programme,
        "ClassSession": class_session,
        "Enrolment": enrolment,
        "StatisticsDataset": dataset,
        "SubjectAccessExport": access_export,
        "RightsRequest": rights_request,
        "Branch": branch,
        "LegalHold": legal_hold,
        "DestructionBatch": batch,
    }


def _issued_letter(case, *, counsellor, manager):
    """A DV confirmation letter on the case, prepared and signed (it has its PDF)."""
    from counselling.letters import services as letters

    client = case.client
    client.birth_date = timezone.localdate().replace(year=1990, month=4, day=25)
    client.save(update_fields=["birth_date"])
    if not letters.may_sign(manager, case.branch):  # Busan's own manager signs its letters
        from ngo.accounts.models import User
        from ngo.accounts.roles import Role

        manager = User.objects.create_user(
            f"manager.{case.branch.code.lower()}@matrix.example", role=Role.BRANCH_MANAGER
        )
        manager.branches.add(case.branch)
    letter = letters.letter_prepare(actor=counsellor, case=case)
    return letters.letter_approve(actor=manager, letter=letter)


def _transfer_and_approval(case, plan, *, counsellor):
    """A transfer of the case awaiting the other branch (SEO to BUS, BUS to
    SEO), and its safety plan awaiting the branch manager's approval."""
    from counselling.approvals import services as approvals
    from counselling.transfers import services as transfers
    from ngo.accounts.models import Branch

    other = Branch.objects.get(code="BUS" if case.branch.code == "SEO" else "SEO")
    transfer = transfers.transfer_request(
        actor=counsellor, case=case, to_branch=other, reason="She moved."
    )
    return transfer, approvals.plan_request(actor=counsellor, plan=plan)


def _retention_records(branch, client, admin):
    """A hold on her, and a batch under review that names her (what the daily
    task would propose once her records fall due)."""
    from counselling.retention import services as rs
    from counselling.retention.models import DestructionBatch, DestructionItem

    hold = rs.hold_set(actor=admin, client=client, reason="Divorce case at the family court")
    batch = DestructionBatch.objects.create(branch=branch, proposed_by=admin)
    DestructionItem.objects.create(
        batch=batch, client=client, reason="no_case", due_on=timezone.localdate()
    )
    return hold, batch


def _destruction_record(branch, admin, manager):
    from counselling.retention.models import DestructionBatch, DestructionRecord

    done = DestructionBatch.objects.create(
        branch=branch,
        proposed_by=admin,
        status="executed",
        approved_by=manager,
        approved_at=timezone.now(),
        executed_at=timezone.now(),
        counts={"counselling.Client": 1},
    )
    return DestructionRecord.objects.get(pk=done.pk)


def _shared_records(admin, coordinator, officer) -> dict:
    """Records of no branch: the directory, campaigns, policy, the audit trail."""
    from campaigns import services as cs
    from campaigns.models import (
        Campaign,
        CampaignAction,
        CampaignTask,
        Coalition,
        Demand,
        Membership,
        Signatory,
        SignOn,
    )
    from counselling.consent_texts.models import ConsentText
    from ngo.audit.models import AuditEvent
    from ngo.directory.models import ContactPerson, Organisation
    from policy_monitor import services as pm
    from policy_monitor.models import (
        Assessment,
        Mechanism,
        MonitoringNote,
        Policy,
        PolicyEvent,
        Recommendation,
        Review,
        SdgTarget,
        Submission,
        Term,
        WordLimit,
    )
    from tests.policy_helpers import pdf

    action = CampaignAction.objects.first()
    records = {
        model.__name__: model.objects.order_by("pk").first()
        for model in (
            Organisation,
            ContactPerson,
            Coalition,
            Membership,
            Campaign,
            Demand,
            CampaignAction,
            SignOn,
            Signatory,
            CampaignTask,
            Policy,
            PolicyEvent,
            MonitoringNote,
            Mechanism,
            Review,
            Submission,
            WordLimit,
            Term,
            Recommendation,
            Assessment,
            AuditEvent,
            ConsentText,
        )
    }
    records["Submission"] = pm.submission_create(
        actor=officer,
        kind="shadow_report",
        title="Shadow report with its file",
        review=records["Review"],
        lead_organisation=Organisation.objects.order_by("pk").first(),
        status="published",
        submitted_on=timezone.localdate(),
        upload=SimpleUploadedFile("report.pdf", pdf(["Migrant", "women"])),
    )
    records["ActionFile"] = cs.action_file_upload(
        actor=coordinator, action=action, uploaded_file=SimpleUploadedFile("s.pdf", PDF)
    )
    records["Cluster"] = pm.cluster_create(actor=officer, name="Shelters")
    records["SdgTarget"] = SdgTarget.objects.create(code="5.2", goal=5, label="Violence")
    records["ImportJob"] = _import_job(officer)
    records["ShadowReportDraft"] = _shadow_report_draft(officer)
    return records


def _shadow_report_draft(officer):
    """A written draft for the demo's next CEDAW review."""
    from policy_monitor import drafts
    from policy_monitor.models import Review

    review = Review.objects.get(mechanism__code="CEDAW", cycle="10th periodic report")
    draft, _created = drafts.draft_request(actor=officer, review=review)
    assert drafts.draft_write(draft_id=draft.pk) == "done"
    return draft


def _import_job(officer):
    from policy_monitor import imports
    from tests.policy_helpers import uhri_xlsx

    upload = SimpleUploadedFile("uhri.xlsx", uhri_xlsx())
    return imports.import_job_create(actor=officer, upload=upload, run_inline=True)


def build() -> dict:
    """{persona: user} and {model name: {OWN: record, OTHER: record}}."""
    from ngo.accounts.demo import load_demo
    from ngo.accounts.models import ApiToken, Branch, User
    from ngo.reminders.models import DatedItem, Notification

    load_demo()
    users = {name: User.objects.get(email=email) for name, email in PERSONAS.items()}
    admin, manager = users["administrator"], users["branch_manager"]
    seoul, busan = Branch.objects.get(code="SEO"), Branch.objects.get(code="BUS")
    busan_counsellor = User.objects.get(email="counsellor.busan@demo.hamkke.kr")
    sides = {
        OWN: _branch_records(
            seoul,
            counsellor=users["counsellor"],
            manager=manager,
            admin=admin,
            volunteer=users["volunteer"],
        ),
        OTHER: _branch_records(
            busan,
            counsellor=busan_counsellor,
            manager=manager,
            admin=admin,
            volunteer=users["volunteer"],
        ),
    }
    sides[OWN]["User"], sides[OTHER]["User"] = users["counsellor"], busan_counsellor
    # API tokens: each person sees and revokes her own only.
    sides[OWN]["ApiToken"] = ApiToken.objects.create(
        user=users["counsellor"], expiry=timedelta(hours=9), name="matrix"
    )[0]
    sides[OTHER]["ApiToken"] = ApiToken.objects.create(
        user=busan_counsellor, expiry=timedelta(hours=9), name="matrix"
    )[0]
    sides[OWN]["Notification"] = Notification.objects.filter(recipient=users["counsellor"]).first()
    sides[OTHER]["Notification"] = Notification.objects.exclude(
        recipient=users["counsellor"]
    ).first()
    sides[OWN]["DatedItem"] = DatedItem.objects.filter(branch=seoul).order_by("pk").first()
    sides[OTHER]["DatedItem"] = DatedItem.objects.filter(branch=busan).order_by("pk").first()
    shared = _shared_records(admin, users["campaign_coordinator"], users["policy_officer"])
    from counselling.retention.models import RetentionRule

    shared["RetentionRule"] = RetentionRule.objects.order_by("pk").first()
    shared["DestructionRecord"] = _destruction_record(seoul, admin, manager)
    records: dict[str, dict[str, Model]] = {}
    for name in {*sides[OWN], *sides[OTHER], *shared}:
        if name in shared:
            records[name] = {OWN: shared[name]}
        else:
            records[name] = {OWN: sides[OWN][name], OTHER: sides[OTHER][name]}
    return {"users": users, "records": records}
