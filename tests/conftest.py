"""Shared personas and helpers. Tests run against whatever DATABASE_URL and
REDIS_URL say: SQLite and no Redis locally, real PostgreSQL and Redis in CI."""

import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from ngo.accounts.models import AuthenticatorDevice
from ngo.accounts.roles import Role
from tests.factories import PASSWORD, BranchFactory, UserFactory

REQUIRE_SERVICES = os.environ.get("HAMKKE_REQUIRE_SERVICES") == "1"


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    # A cheap hasher: the real one is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Templates use {% static %}; tests do not run collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language(settings):
    # A request with Accept-Language: en leaves English active in the thread;
    # every test starts in the default language, whatever ran before it.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and heartbeats must not leak from one test (or run) to another.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_axes_cache_between_tests(db):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


@pytest.fixture
def branch_a(db):
    return BranchFactory(code="SEO", name_ko="서울지부", name_en="Seoul branch")


@pytest.fixture
def branch_b(db):
    return BranchFactory(code="BUS", name_ko="부산지부", name_en="Busan branch")


@pytest.fixture
def head_office(db):
    return BranchFactory(code="HQ", name_ko="본부", name_en="Head office", is_head_office=True)


@dataclass
class Personas:
    counsellor_a: object
    counsellor_b: object
    manager_a: object
    shelter_worker_a: object
    coordinator: object
    policy_officer: object
    auditor: object
    volunteer: object
    admin: object

    def all(self):
        return dict(self.__dict__)


@pytest.fixture
def personas(branch_a, branch_b, head_office):
    return Personas(
        counsellor_a=UserFactory(
            email="counsellor.a@example.org", role=Role.COUNSELLOR, branches=[branch_a]
        ),
        counsellor_b=UserFactory(
            email="counsellor.b@example.org", role=Role.COUNSELLOR, branches=[branch_b]
        ),
        manager_a=UserFactory(
            email="manager.a@example.org", role=Role.BRANCH_MANAGER, branches=[branch_a]
        ),
        shelter_worker_a=UserFactory(
            email="shelter.a@example.org", role=Role.SHELTER_WORKER, branches=[branch_a]
        ),
        coordinator=UserFactory(
            email="coordinator@example.org", role=Role.CAMPAIGN_COORDINATOR, branches=[head_office]
        ),
        policy_officer=UserFactory(
            email="policy@example.org", role=Role.POLICY_OFFICER, branches=[head_office]
        ),
        auditor=UserFactory(email="auditor@example.org", role=Role.AUDITOR),
        volunteer=UserFactory(
            email="volunteer@example.org", role=Role.VOLUNTEER, branches=[branch_a]
        ),
        admin=UserFactory(
            email="admin@example.org", role=Role.ADMINISTRATOR, branches=[head_office]
        ),
    )


def verified_client(user) -> Client:
    """A browser session that has passed the password and the second factor."""
    client = Client()
    client.force_login(user)
    if user.needs_two_factor:
        device, _ = AuthenticatorDevice.objects.get_or_create(
            user=user, name="authenticator", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def login():
    return verified_client


def content_of(response) -> bytes:
    """The body of a response, streamed (exports) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


__all__ = ["PASSWORD", "REQUIRE_SERVICES", "content_of", "verified_client"]


# --- Counselling ----------------------------------------------------------------------


@pytest.fixture
def organisations(db):
    from ngo.directory.models import Organisation

    return {
        "hospital": Organisation.objects.create(name_en="Seoul Medical Centre", kind="hospital"),
        "legal_aid": Organisation.objects.create(name_en="Korea Legal Aid", kind="legal_aid"),
        "police": Organisation.objects.create(name_ko="종로경찰서", kind="police"),
        "shelter": Organisation.objects.create(name_en="Migrant Women Shelter", kind="shelter"),
    }


@pytest.fixture
def make_case(personas):
    """make_case(actor=..., restricted=..., assigned=[...], **client_fields) -> Case,
    through the intake service like a counsellor would."""
    from counselling import services

    counter = {"n": 0}

    def make(actor=None, branch=None, restricted=False, assigned=None, case_types=None, **client):
        actor = actor or personas.counsellor_a
        branch = branch or actor.branches.first()
        counter["n"] += 1
        client_values = {
            "name_romanised": f"Client {counter['n']}",
            "nationality": "VN",
            "languages": ["vi"],
            "residence_status": "F-6",
            "phone": f"010-5555-{counter['n']:04d}",
            **client,
        }
        _client, case = services.client_intake(
            actor=actor,
            branch=branch,
            client=client_values,
            case={"case_types": case_types or ["domestic_violence"], "restricted": restricted},
            assigned=assigned or [actor],
            confirm_not_duplicate=True,
        )
        return case

    return make


# --- Shelters and programmes ----------------------------------------------------------------


@pytest.fixture
def shelter(personas, branch_a):
    """A shelter of branch SEO: room 101 with beds A and B and a cot, room 102 with bed A."""
    from counselling.shelters import services as ss

    admin = personas.admin
    home = ss.shelter_create(
        actor=admin,
        branch=branch_a,
        name="Seoul shelter",
        address="비공개 주소",
        max_stay_days=90,
        hold_hours=2,
    )
    room = ss.room_create(actor=admin, shelter=home, name="101")
    other_room = ss.room_create(actor=admin, shelter=home, name="102")
    home.test_beds = {
        "a": ss.bed_create(actor=admin, room=room, label="A"),
        "b": ss.bed_create(actor=admin, room=room, label="B"),
        "cot": ss.bed_create(actor=admin, room=room, label="C1", kind="cot"),
        "c": ss.bed_create(actor=admin, room=other_room, label="A"),
    }
    return home


@pytest.fixture
def programme(personas, branch_a):
    from django.utils import timezone

    from counselling.programmes import services as ps

    return ps.programme_create(
        actor=personas.manager_a,
        branch=branch_a,
        title_ko="한국어 초급",
        title_en="Korean for beginners",
        kind="korean",
        facilitator=personas.volunteer,
        language="ko",
        completion_threshold=50,
        starts_on=timezone.localdate(),
    )


# --- Policy monitoring ------------------------------------------------------------------


@pytest.fixture
def policy_world(personas):
    """One of each policy record, written through the services by the policy officer."""
    from datetime import date
    from types import SimpleNamespace

    from ngo.directory.models import Organisation
    from policy_monitor import services
    from policy_monitor.models import Mechanism

    officer = personas.policy_officer
    ministry = Organisation.objects.create(
        name_ko="법무부", name_en="Ministry of Justice", kind="government"
    )
    centre = Organisation.objects.create(
        name_ko="이주여성인권센터", name_en="Migrant Women Human Rights Centre", kind="ngo"
    )
    partner = Organisation.objects.create(name_en="Joint Committee with Migrants", kind="ngo")
    cedaw = Mechanism.objects.get(code="CEDAW")
    plan = services.policy_create(
        actor=officer,
        kind="national_action_plan",
        title_ko="제4차 국가인권정책기본계획",
        title_en="4th National Action Plan for Human Rights",
        responsible_body=ministry,
        status="in_force",
    )
    comment = services.policy_event_create(
        actor=officer,
        policy=plan,
        kind="public_comment",
        happens_on=date(2026, 1, 5),
        deadline=date(2026, 1, 25),
    )
    meeting = services.policy_event_create(
        actor=officer,
        policy=plan,
        kind="consultation",
        happens_on=date(2026, 1, 12),
        notes="Ministry officials asked for case examples.",
        organisations_present=[ministry, partner],
        participants=[officer],
    )
    note = services.monitoring_note_create(
        actor=officer, policy=plan, noted_on=date(2026, 1, 13), text="Internal strategy."
    )
    review = services.review_create(
        actor=officer,
        mechanism=cedaw,
        cycle="9th periodic report",
        document_symbol="CEDAW/C/KOR/CO/9",
        ngo_deadline=date(2024, 4, 22),
        dialogue_on=date(2024, 5, 15),
    )
    draft = services.submission_create(
        actor=officer,
        kind="follow_up_report",
        title="Follow-up on the E-9 workplace change rule (draft)",
        review=review,
        lead_organisation=centre,
    )
    published = services.submission_create(
        actor=officer,
        kind="shadow_report",
        title="Joint shadow report on migrant women",
        review=review,
        lead_organisation=centre,
        co_signers=[partner],
        status="published",
        submitted_on=date(2024, 4, 20),
    )
    recommendation = services.recommendation_create(
        actor=officer,
        mechanism=cedaw,
        review=review,
        text="41. The Committee recommends that the State party ensure shelter access.",
        document_symbol="CEDAW/C/KOR/CO/9",
        paragraph="41",
        issued_on=date(2024, 5, 29),
    )
    commitment = services.recommendation_create(
        actor=officer,
        source="plan",
        plan=plan,
        text="Expand interpretation services at counselling centres for migrant women.",
        issued_on=date(2023, 4, 1),
    )
    assessment = services.assessment_record(
        actor=officer,
        recommendation=recommendation,
        assessed_on=date(2025, 6, 1),
        status="partially_implemented",
        evidence="Two shelters accept undocumented women.",
        submissions=[published],
    )
    return SimpleNamespace(
        ministry=ministry,
        centre=centre,
        partner=partner,
        cedaw=cedaw,
        plan=plan,
        comment=comment,
        meeting=meeting,
        note=note,
        review=review,
        draft=draft,
        published=published,
        recommendation=recommendation,
        commitment=commitment,
        assessment=assessment,
    )


# --- Campaigns and coalitions ---------------------------------------------------------------


@pytest.fixture
def campaign_world(personas):
    """A coalition with two members (one former), a campaign run through it with
    a demand to a ministry, an action, a sign-on signed by one partner, and a task;
    a contact person at a partner."""
    from types import SimpleNamespace

    from django.utils import timezone

    from campaigns import services as cs
    from ngo.directory import services as ds
    from tests.clock import years_before

    actor = personas.coordinator
    today = timezone.localdate()
    mfa = ds.organisation_create(
        actor=actor,
        name_en="Migrant Forum in Asia",
        kind="international",
        country="PH",
        scope="international",
        tags=["international", "migrants"],
    )
    jcmk = ds.organisation_create(
        actor=actor,
        name_ko="이주민과 함께하는 공동위원회",
        name_en="JCMK",
        kind="ngo",
        tags=["migrants"],
    )
    ministry = ds.organisation_create(
        actor=actor,
        name_ko="법무부",
        name_en="Ministry of Justice",
        kind="government",
        authority_type="ministry",
    )
    contact = ds.contact_add(
        actor=actor,
        organisation=mfa,
        name="Ana Reyes",
        title="Gender Task Force",
        email="ana@mfa.example.org",
        phone="+63-2-555-0101",
    )
    coalition = cs.coalition_create(
        actor=actor,
        name_ko="이주여성 인권 연대",
        name_en="Migrant Women's Rights Network",
        centre_role="lead",
        founded_on=years_before(today, 5),
    )
    current = cs.membership_add(
        actor=actor,
        coalition=coalition,
        organisation=jcmk,
        role="steering",
        joined_on=years_before(today, 4),
    )
    former = cs.membership_add(
        actor=actor,
        coalition=coalition,
        organisation=mfa,
        role="member",
        joined_on=years_before(today, 4),
        left_on=years_before(today, 1),
    )
    campaign = cs.campaign_create(
        actor=actor,
        title="Make the social-integration course optional",
        status="active",
        campaign_type="policy_change",
        coalition=coalition,
        lead_organisation=jcmk,
        starts_on=years_before(today, 2),
    )
    demand = cs.demand_add(
        actor=actor,
        campaign=campaign,
        text="Make the 250-hour course optional",
        addressed_to=ministry,
    )
    action = cs.action_record(
        actor=actor,
        campaign=campaign,
        action_type="press_conference",
        title="Press conference",
        occurred_on=today,
        place="Seoul",
        participants=40,
        organisations=[jcmk, mfa],
        links=["https://example.org/statement"],
    )
    sign_on = cs.sign_on_create(
        actor=actor,
        campaign=campaign,
        title="Joint statement",
        kind="letter",
        deadline=today,
        individual_signatures=120,
    )
    signatory = cs.signatory_add(actor=actor, sign_on=sign_on, organisation=jcmk)
    task = cs.task_add(
        actor=actor,
        campaign=campaign,
        title="Send the statement",
        assignee=actor,
        due_on=today,
    )
    return SimpleNamespace(
        mfa=mfa,
        jcmk=jcmk,
        ministry=ministry,
        contact=contact,
        coalition=coalition,
        current=current,
        former=former,
        campaign=campaign,
        demand=demand,
        action=action,
        sign_on=sign_on,
        signatory=signatory,
        task=task,
    )
