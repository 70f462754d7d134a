"""A counsellor's day in the browser, in Korean: intake with consent, a session,
a high-risk assessment with its safety plan, a follow-up that reaches her inbox."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from counselling.models import Case, Client, CounsellingSession, RiskLevel
from ngo.reminders import tasks as reminder_tasks

pytestmark = pytest.mark.browser

SEOUL = ZoneInfo("Asia/Seoul")
CASE_PAGE = re.compile(r"/counselling/cases/\d+/")


def _case_page(journey, case):
    page = journey.login(case.assigned.first())
    page.goto(journey.url("counselling:case_detail", case.pk))
    return page


def test_an_intake_in_korean_opens_the_case_with_her_consent(journey, personas):
    page = journey.login(personas.counsellor_a, language="ko")
    page.goto(journey.url("counselling:intake"))
    expect(page.locator("h1")).to_have_text("신규 접수")
    journey.step("intake-form")
    journey.fill({"이름(로마자)": "Nguyen Thi Lan", "국적": "베트남", "전화번호": "010-2345-6789"})
    page.locator("#id_marital_status").select_option("married")
    page.get_by_label("가정폭력", exact=True).check()
    journey.step("intake-filled")
    consent = page.locator("#consent-step")
    expect(consent.locator("legend").first).to_have_text("본인의 동의")
    consent.locator("#id_consent_language").select_option("vi")
    consent.locator("#id_consent_store_data_1").check()
    consent.locator("#id_consent_statistics_2").check()
    journey.step("consent-step")
    journey.submit("내담자 등록 및 사례 개시")
    expect(page).to_have_url(CASE_PAGE)
    for heading in ("상담 회기", "위험도 평가", "안전 계획", "경과 기록"):
        expect(page.get_by_role("heading", name=re.compile(heading))).to_be_visible()
    journey.step("case-page")
    client = Client.objects.get(name_romanised="Nguyen Thi Lan")
    assert client.nationality == "VN"
    assert {c.purpose: c.given for c in client.consents.all()} == {
        "store_data": True,
        "statistics": False,
    }
    case = Case.objects.get(client=client)
    assert page.url.endswith(journey.url("counselling:case_detail", case.pk))


def test_a_session_appears_on_the_case_page_and_its_timeline(journey, personas, make_case):
    case = make_case(actor=personas.counsellor_a)
    page = _case_page(journey, case)
    journey.step("case-page")
    page.get_by_role("button", name="상담 회기 기록", exact=True).click()
    form = page.locator("#session-form")
    expect(form).to_be_visible()
    form.locator("#id_session-mode").select_option("in_person")
    form.locator("#id_session-duration_minutes").fill("45")
    form.get_by_label("법률 상담", exact=True).check()
    journey.step("session-form")
    journey.submit("상담 회기 저장", within=form)
    session = CounsellingSession.objects.get(case=case)
    expect(page.locator(f"#session-{session.pk}")).to_contain_text("45")
    expect(page.locator("#timeline")).to_contain_text("상담 회기")
    journey.step("session-saved")
    assert session.duration_minutes == 45 and session.services == ["legal_advice"]


def test_a_high_risk_assessment_opens_a_safety_plan(journey, personas, make_case):
    case = make_case(actor=personas.counsellor_a)
    page = _case_page(journey, case)
    page.get_by_role("button", name="위험도 체크리스트 작성", exact=True).click()
    form = page.locator("#risk-form")
    for name in ("threats_to_kill", "escalation", "residence_threats", "documents_withheld"):
        form.locator(f"#id_risk-{name}").check()
    journey.step("risk-checklist")
    journey.submit("체크리스트 채점", within=form)
    expect(page.locator("#risk")).to_contain_text("높음")
    journey.step("risk-high")
    assert case.risk_assessments.get().level == RiskLevel.HIGH
    plan = page.locator("#safety-plan")
    plan.get_by_role("button", name="조치 추가").first.click()
    step_form = page.locator("#item-form")
    step_form.locator("#id_item-action").fill("쉼터 입소 상담 예약")
    step_form.locator("#id_item-responsible").fill("담당 상담원")
    journey.step("safety-plan-step")
    journey.submit("조치 추가", within=step_form)
    expect(page.locator("#safety-plan")).to_contain_text("쉼터 입소 상담 예약")
    journey.step("safety-plan")
    assert case.safety_plans.get(is_active=True).items.count() == 1


def test_a_follow_up_date_reaches_the_reminders_inbox(journey, personas, make_case):
    case = make_case(actor=personas.counsellor_a)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = _case_page(journey, case)
    page.get_by_role("button", name="상담 회기 기록", exact=True).click()
    form = page.locator("#session-form")
    form.locator("#id_session-mode").select_option("phone")
    form.locator("#id_session-follow_up_on").fill(tomorrow.isoformat())
    journey.step("session-with-follow-up")
    journey.submit("상담 회기 저장", within=form)
    expect(page.locator("#sessions")).to_contain_text(tomorrow.isoformat())
    journey.step("follow-up-on-case-page")
    # The morning of the follow-up, in Seoul: the periodic tasks run as a worker
    # would run them (Celery's eager path), then she opens her inbox.
    morning = datetime.combine(tomorrow, time(10, 0), tzinfo=SEOUL)
    with time_machine.travel(morning, tick=True):
        reminder_tasks.refresh.apply(args=["counselling.session_follow_up"]).get()
        assert reminder_tasks.dispatch.apply().get()["fired"] >= 1
        page = journey.login(personas.counsellor_a)
        page.goto(journey.url("reminders:inbox"))
        item = page.locator(".list-group-item", has_text=case.client.case_code)
        expect(item).to_contain_text("후속 상담")
        expect(item).to_contain_text(tomorrow.isoformat())
        journey.step("reminders-inbox")
