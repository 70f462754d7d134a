"""The case timeline speaks words, never the services' codes, in Korean and in
English, and tells when a session took place."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from counselling.models import CaseActivity, CounsellingSession
from counselling.shelters import services as shelter_services
from tests.conftest import verified_client

Kind = CaseActivity.Kind

# Each kind with a label as its service writes it (counselling/services/, shelters).
LABELS = {
    Kind.CASE_OPENED: ["domestic_violence,labour"],
    Kind.STATUS: ["intake->active"],
    Kind.ASSIGNED: [""],
    Kind.CASE_UPDATED: ["restricted,summary", "shelter:admitted", "shelter:discharged:home"],
    Kind.SESSION: ["in_person"],
    Kind.EVENT: ["court_hearing"],
    Kind.RISK: ["high"],
    Kind.SAFETY_PLAN: ["created", "reviewed"],
    Kind.REFERRAL: ["hospital:sent", "legal_aid:accepted"],
    Kind.DOCUMENT: ["other"],
    Kind.CONSENT: ["statistics:given", "store_data:withdrawn"],
    Kind.CLIENT_UPDATED: ["narrative,phone"],
}
CODE = re.compile(r"[a-z_]+:[a-z_]+|->|\b[a-z]+_[a-z_]+\b")


def _timeline_text(html: str) -> str:
    section = html.split('id="timeline"', 1)[1].split("</section>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def _write_every_kind(case, actor):
    for kind, labels in LABELS.items():
        for label in labels:
            CaseActivity.objects.create(
                client=case.client, case=case, kind=kind, actor=actor, label=label
            )


def test_every_kind_of_line_is_covered_here():
    assert set(LABELS) == set(Kind)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Admitted to shelter", "Left the shelter: Home", "Hospital: Sent", "Intake"]),
        ("ko", ["쉼터 입소", "쉼터 퇴소", "경과 기록"]),
    ],
)
def test_the_timeline_shows_every_kind_in_words_and_no_code(personas, make_case, language, words):
    counsellor = personas.counsellor_a
    case = make_case(actor=counsellor)
    _write_every_kind(case, counsellor)
    CaseActivity.objects.create(
        client=case.client, case=case, kind=Kind.CASE_UPDATED, actor=counsellor, label="new:code"
    )
    html = verified_client(counsellor).get(
        f"/counselling/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE=language
    )
    assert html.status_code == 200
    text = _timeline_text(html.content.decode())
    assert not CODE.findall(text), text
    for word in words:
        assert word in text
    for kind in Kind:
        assert str(kind.label) in text or language == "ko"


def test_a_real_shelter_stay_reads_admitted_and_left(personas, make_case, shelter):
    case = make_case(actor=personas.counsellor_a)
    worker = personas.shelter_worker_a
    stay = shelter_services.stay_admit(actor=worker, case=case, bed=shelter.test_beds["a"])
    shelter_services.stay_discharge(actor=worker, stay=stay, destination="independent")
    html = verified_client(personas.counsellor_a).get(
        f"/counselling/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = _timeline_text(html.content.decode())
    assert "Admitted to shelter" in text
    assert "Left the shelter: Independent housing" in text
    assert "shelter:admitted" not in text and "shelter:discharged" not in text


def test_the_timeline_tells_the_hour_a_session_took_place(personas, make_case):
    from counselling import services

    case = make_case(actor=personas.counsellor_a)
    held = timezone.localtime() - timedelta(days=2, hours=3)
    held = held.replace(second=0, microsecond=0)
    services.session_record(actor=personas.counsellor_a, case=case, mode="phone", started_at=held)
    html = (
        verified_client(personas.counsellor_a)
        .get(f"/counselling/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    text = _timeline_text(html)
    session = CounsellingSession.objects.get(case=case)
    assert f"held {held:%Y-%m-%d %H:%M}" in text
    assert f'datetime="{timezone.localtime(session.started_at).isoformat()}"' in html
