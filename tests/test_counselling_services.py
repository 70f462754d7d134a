"""Counselling services: intake, workflow, risk, consent, referrals, documents."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from counselling import selectors, services
from counselling.models import (
    Case,
    CaseActivity,
    CaseStatus,
    Client,
    Document,
    Referral,
    RiskLevel,
    SafetyPlan,
)
from ngo.audit.models import AuditAction, AuditEvent

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_intake_gives_a_case_code_per_branch_and_year(personas, branch_a, branch_b, make_case):
    year = timezone.localdate().year
    first = make_case()
    second = make_case()
    busan = make_case(actor=personas.counsellor_b)
    assert first.client.case_code == f"SEO-{year}-0001"
    assert second.client.case_code == f"SEO-{year}-0002"
    assert busan.client.case_code == f"BUS-{year}-0001"
    assert first.status == CaseStatus.INTAKE
    assert list(first.assigned.all()) == [personas.counsellor_a]
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="counselling.client", object_id=str(first.client_id)
    ).exists()
    assert CaseActivity.objects.filter(case=first, kind="case_opened").count() == 1


def test_encrypted_fields_are_not_readable_in_the_raw_row(make_case):
    case = make_case(
        residence_status="undocumented",
        phone="010-1234-9876",
        address="서울시 종로구 비밀로 1",
        narrative="He hit her with a bottle.",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT residence_status, phone, address, narrative, phone_index "
            "FROM counselling_client WHERE id = %s",
            [case.client_id],
        )
        row = cursor.fetchone()
    raw = " ".join(str(v) for v in row)
    for secret in ("undocumented", "1234", "9876", "종로구", "bottle"):
        assert secret not in raw
    client = Client.objects.get(pk=case.client_id)
    assert client.residence_status == "undocumented"
    assert client.narrative == "He hit her with a bottle."


def test_intake_warns_of_a_likely_duplicate(personas, make_case):
    birth = date(1990, 5, 17)
    make_case(name_romanised="Nguyen Thi Lan", birth_date=birth, phone="010-2222-3333")
    with pytest.raises(services.PossibleDuplicates) as same_name:
        services.client_intake(
            actor=personas.counsellor_a,
            branch=personas.counsellor_a.branches.first(),
            client={"name_romanised": "nguyen thi lan", "birth_date": birth},
            case={"case_types": ["labour"]},
        )
    assert len(same_name.value.matches) == 1
    with pytest.raises(services.PossibleDuplicates):
        services.client_intake(
            actor=personas.counsellor_a,
            branch=personas.counsellor_a.branches.first(),
            client={"name_romanised": "Someone Else", "phone": "+82 10 2222 3333"},
            case={"case_types": ["labour"]},
        )
    assert Client.objects.count() == 1  # nothing saved
    # Confirmed: created anyway.
    services.client_intake(
        actor=personas.counsellor_a,
        branch=personas.counsellor_a.branches.first(),
        client={"name_romanised": "Someone Else", "phone": "+82 10 2222 3333"},
        case={"case_types": ["labour"]},
        confirm_not_duplicate=True,
    )
    assert Client.objects.count() == 2


def test_duplicate_warning_does_not_reveal_other_branches(personas, make_case):
    make_case(actor=personas.counsellor_b, phone="010-7777-8888")
    matches = selectors.client_possible_duplicates(
        user=personas.counsellor_a, phone="010-7777-8888"
    )
    assert matches == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nationality", "XX"),
        ("languages", ["vi", "zz"]),
        ("residence_status", "tourist"),
        ("estimated_age", 300),
    ],
)
def test_bad_client_values_are_refused_and_nothing_is_saved(personas, field, value):
    with pytest.raises(ValidationError) as error:
        services.client_intake(
            actor=personas.counsellor_a,
            branch=personas.counsellor_a.branches.first(),
            client={"name_romanised": "A", field: value},
            case={"case_types": ["other"]},
            confirm_not_duplicate=True,
        )
    assert field in error.value.message_dict
    assert Client.objects.count() == 0 and Case.objects.count() == 0


def test_intake_at_another_branch_is_refused(personas, branch_b):
    with pytest.raises(ValidationError):
        services.client_intake(
            actor=personas.counsellor_a,
            branch=branch_b,
            client={"name_romanised": "A"},
            case={"case_types": ["other"]},
        )


def test_status_workflow_with_who_and_when(personas, make_case):
    case = make_case()
    services.case_change_status(actor=personas.counsellor_a, case=case, to="active")
    with pytest.raises(ValidationError):
        services.case_change_status(actor=personas.counsellor_a, case=case, to="closed")
    with pytest.raises(ValidationError) as early:
        services.case_change_status(
            actor=personas.counsellor_a,
            case=case,
            to="closed",
            closure_reason="resolved",
            closed_on=case.opened_on - timedelta(days=1),
        )
    assert "closed_on" in early.value.message_dict
    services.case_change_status(
        actor=personas.manager_a, case=case, to="closed", closure_reason="resolved"
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on == timezone.localdate()
    services.case_change_status(actor=personas.counsellor_a, case=case, to="active")
    case.refresh_from_db()
    assert case.closed_on is None
    moves = list(
        case.status_changes.order_by("id").values_list("from_status", "to_status", "changed_by")
    )
    assert moves == [
        ("", "intake", personas.counsellor_a.pk),
        ("intake", "active", personas.counsellor_a.pk),
        ("active", "closed", personas.manager_a.pk),
        ("closed", "active", personas.counsellor_a.pk),
    ]


def test_session_follow_up_in_the_past_is_refused(personas, make_case):
    case = make_case()
    with pytest.raises(ValidationError) as error:
        services.session_record(
            actor=personas.counsellor_a,
            case=case,
            mode="phone",
            follow_up_on=timezone.localdate() - timedelta(days=1),
        )
    assert "follow_up_on" in error.value.message_dict
    session = services.session_record(
        actor=personas.counsellor_a,
        case=case,
        mode="hotline",
        language="vi",
        services=["counselling", "legal_advice"],
        notes="Called from a friend's phone.",
    )
    case.refresh_from_db()
    assert case.status == "active"  # the first contact activates an intake case
    assert session.staff == personas.counsellor_a


def test_high_risk_sets_a_48_hour_follow_up_and_a_safety_plan(personas, make_case):
    case = make_case()
    low = services.risk_assess(
        actor=personas.counsellor_a, case=case, answers={"controlling_jealousy": True}
    )
    assert low.level == RiskLevel.LOW and low.follow_up_by is None
    assert not SafetyPlan.objects.filter(case=case).exists()
    severe = services.risk_assess(
        actor=personas.counsellor_a,
        case=case,
        answers={"threats_to_kill": True, "strangulation": True},
    )
    assert severe.level == RiskLevel.SEVERE
    assert timedelta(hours=47) < severe.follow_up_by - severe.assessed_at <= timedelta(hours=48)
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.SEVERE
    plan = SafetyPlan.objects.get(case=case, is_active=True)
    assert plan.risk_assessment == severe


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        ({}, "low"),
        ({"escalation": True, "pregnancy": True}, "medium"),
        (
            {
                "weapon": True,
                "escalation": True,
                "recent_separation": True,
                "residence_threats": True,
            },
            "high",
        ),
        ({"threats_to_kill": True, "weapon": True}, "severe"),
    ],
)
def test_risk_levels(answers, level):
    assert services.risk_score(answers)[1] == level


def test_unknown_risk_indicator_is_refused():
    with pytest.raises(ValidationError):
        services.risk_score({"astrology": True})


def test_referral_needs_consent_or_an_audited_override(personas, make_case, organisations):
    case = make_case()
    hospital = organisations["hospital"]
    with pytest.raises(ValidationError) as refused:
        services.referral_create(actor=personas.counsellor_a, case=case, organisation=hospital)
    assert "override_reason" in refused.value.message_dict
    assert not Referral.objects.exists()

    services.consent_record(
        actor=personas.counsellor_a,
        client=case.client,
        purpose="share_referral",
        given=True,
        explanation_language="vi",
        organisation_kinds=["hospital"],
    )
    with_consent = services.referral_create(
        actor=personas.counsellor_a, case=case, organisation=hospital
    )
    assert with_consent.consent is not None
    # Consent covers hospitals, not the police.
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=personas.counsellor_a, case=case, organisation=organisations["police"]
        )
    override = services.referral_create(
        actor=personas.counsellor_a,
        case=case,
        organisation=organisations["police"],
        override_reason="Imminent danger to her life; police must know her address.",
    )
    assert override.consent is None
    assert AuditEvent.objects.filter(
        object_type="counselling.referral", object_id=str(override.pk), reason="consent_override"
    ).exists()


def test_consent_withdrawal_blocks_new_referrals(personas, make_case, organisations):
    case = make_case()
    services.consent_record(
        actor=personas.counsellor_a,
        client=case.client,
        purpose="share_referral",
        given=True,
        explanation_language="vi",
        organisation_kinds=["hospital", "legal_aid"],
    )
    services.referral_create(
        actor=personas.counsellor_a, case=case, organisation=organisations["hospital"]
    )
    services.consent_record(
        actor=personas.counsellor_a,
        client=case.client,
        purpose="share_referral",
        given=False,
        explanation_language="vi",
    )
    with pytest.raises(ValidationError):
        services.referral_create(
            actor=personas.counsellor_a, case=case, organisation=organisations["legal_aid"]
        )
    # Without sharing her data, a referral is still possible.
    services.referral_create(
        actor=personas.counsellor_a,
        case=case,
        organisation=organisations["legal_aid"],
        shares_personal_data=False,
    )
    assert Referral.objects.filter(case=case).count() == 2


def test_referral_status_workflow(personas, make_case, organisations):
    case = make_case()
    referral = services.referral_create(
        actor=personas.counsellor_a,
        case=case,
        organisation=organisations["shelter"],
        shares_personal_data=False,
    )
    with pytest.raises(ValidationError):
        services.referral_change_status(
            actor=personas.counsellor_a, referral=referral, to="completed"
        )
    services.referral_change_status(actor=personas.counsellor_a, referral=referral, to="accepted")
    services.referral_change_status(actor=personas.counsellor_a, referral=referral, to="completed")
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.completed_on == timezone.localdate()


def _upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_documents_are_checked_by_content_and_stored_encrypted(
    personas, make_case, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    case = make_case()
    document = services.document_upload(
        actor=personas.counsellor_a,
        client=case.client,
        case=case,
        uploaded_file=_upload("injury.png", PNG),
        title="Photo of injuries",
    )
    stored = services.document_path(document.storage_name).read_bytes()
    assert PNG not in stored
    assert services.document_content(document) == PNG
    assert document.kind == "image" and document.content_type == "image/png"
    with pytest.raises(ValidationError) as renamed:
        services.document_upload(
            actor=personas.counsellor_a,
            client=case.client,
            uploaded_file=_upload("contract.pdf", PNG),
        )
    assert "file" in renamed.value.message_dict
    with pytest.raises(ValidationError):
        services.document_upload(
            actor=personas.counsellor_a,
            client=case.client,
            uploaded_file=_upload("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
        )
    settings.DOCUMENT_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError) as too_big:
        services.document_upload(
            actor=personas.counsellor_a, client=case.client, uploaded_file=_upload("a.pdf", PDF)
        )
    assert "MB" in too_big.value.messages[0]
    assert Document.objects.count() == 1
    assert len(list(tmp_path.rglob("*"))) == 2  # one folder, one file: nothing left behind


def test_timeline_lists_everything_newest_first(personas, make_case, organisations):
    case = make_case()
    services.session_record(actor=personas.counsellor_a, case=case, mode="phone")
    services.risk_assess(actor=personas.counsellor_a, case=case, answers={})
    services.consent_record(
        actor=personas.counsellor_a,
        client=case.client,
        purpose="statistics",
        given=True,
        explanation_language="vi",
    )
    kinds = [a.kind for a in selectors.case_timeline(user=personas.counsellor_a, case=case)]
    assert kinds[0] == "consent"
    assert set(kinds) >= {"case_opened", "session", "status", "risk", "consent"}
    assert kinds[-1] == "case_opened"


def test_key_rotation_reencrypts_fields_phone_index_and_files(
    personas, make_case, settings, tmp_path
):
    from django.core.management import call_command

    from ngo.lib.env import new_fernet_key

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    case = make_case(phone="010-3141-5926", residence_status="undocumented")
    document = services.document_upload(
        actor=personas.counsellor_a, client=case.client, uploaded_file=_upload("scan.pdf", PDF)
    )
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [new_fernet_key(), old_key]
    call_command("rotate_field_key")
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # old key gone
    client = Client.objects.get(pk=case.client_id)
    assert client.residence_status == "undocumented"
    assert services.document_content(document) == PDF
    matches = selectors.client_possible_duplicates(user=personas.counsellor_a, phone="01031415926")
    assert [m.pk for m in matches] == [client.pk]


def test_status_change_updates_the_instance_the_caller_holds(personas, make_case):
    case = make_case()
    services.session_record(actor=personas.counsellor_a, case=case, mode="phone")
    assert case.status == "active"
    services.session_record(actor=personas.counsellor_a, case=case, mode="phone")
    assert case.sessions.count() == 2
