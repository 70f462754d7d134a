"""One rule for setting up shelters and programmes, asked through both doors.

Branch managers and administrators set up the shelters, rooms, beds and
programmes of their branches; nobody else does, whether she uses the screens or
the API. Shelter workers run stays and holds, facilitators their programmes'
classes and registers (tested with the screens and the API themselves)."""

import pytest
from django.utils import timezone

from counselling.access_rules import may_set_up
from counselling.programmes.models import Programme
from counselling.shelters.models import Bed, Room, Shelter
from tests.conftest import verified_client

PERSONAS = [
    "counsellor_a",
    "counsellor_b",
    "manager_a",
    "shelter_worker_a",
    "coordinator",
    "policy_officer",
    "auditor",
    "volunteer",
    "admin",
]
SETS_UP_SEO = {"manager_a", "admin"}


def _screens(personas, shelter, branch):
    room = shelter.rooms.get(name="102")
    return {
        "shelter": (
            "/counselling/shelters/",
            {
                "shelter-branch": branch.pk,
                "shelter-name": "Second home",
                "shelter-max_stay_days": 60,
                "shelter-hold_hours": 3,
            },
        ),
        "room": (f"/counselling/shelters/{shelter.pk}/rooms/", {"room-name": "103"}),
        "bed": (
            f"/counselling/shelters/{shelter.pk}/beds/",
            {"bed-room": room.pk, "bed-label": "B", "bed-kind": "adult"},
        ),
        "programme": (
            "/counselling/programmes/",
            {
                "programme-branch": branch.pk,
                "programme-title_ko": "리더십 교육",
                "programme-title_en": "Leadership training",
                "programme-kind": "leadership",
                "programme-facilitator": personas.volunteer.pk,
                "programme-language": "ko",
                "programme-completion_threshold": 75,
                "programme-starts_on": timezone.localdate(),
            },
        ),
    }


def _api(personas, shelter):
    room = shelter.rooms.get(name="102")
    return {
        "shelter": ("shelters/", {"name": "Second home", "branch": "SEO"}),
        "room": ("rooms/", {"shelter": shelter.pk, "name": "103"}),
        "bed": ("beds/", {"room": room.pk, "label": "B"}),
        "programme": (
            "programmes/",
            {
                "branch": "SEO",
                "title_ko": "리더십",
                "title_en": "Leadership",
                "kind": "leadership",
                "facilitator": personas.volunteer.pk,
                "language": "ko",
                "starts_on": "2030-03-01",
            },
        ),
    }


def _created(record: str) -> bool:
    return {
        "shelter": lambda: Shelter.objects.filter(name="Second home").exists(),
        "room": lambda: Room.objects.filter(name="103").exists(),
        "bed": lambda: Bed.objects.filter(room__name="102", label="B").exists(),
        "programme": lambda: Programme.objects.exists(),
    }[record]()


RECORDS = ["shelter", "room", "bed", "programme"]


@pytest.mark.dates_as_data
@pytest.mark.parametrize("record", RECORDS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_screens_follow_the_rule(personas, shelter, branch_a, persona, record):
    user = getattr(personas, persona)
    path, data = _screens(personas, shelter, branch_a)[record]
    response = verified_client(user).post(path, data)
    allowed = persona in SETS_UP_SEO
    assert may_set_up(user, branch_a) is allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code in (403, 404)
    assert _created(record) is allowed


@pytest.mark.parametrize("record", RECORDS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_follows_the_same_rule(personas, shelter, branch_a, persona, record):
    user = getattr(personas, persona)
    url, data = _api(personas, shelter)[record]
    response = verified_client(user).post(f"/api/v1/{url}", data, content_type="application/json")
    allowed = persona in SETS_UP_SEO
    assert may_set_up(user, branch_a) is allowed
    if allowed:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code in (403, 404)
    assert _created(record) is allowed


@pytest.mark.dates_as_data
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in SETS_UP_SEO])
def test_both_doors_refuse_the_same_people_the_same_way(personas, shelter, branch_a, persona):
    """Nobody else gets through either door. Where a door would not even show
    her the record it answers 404; a shelter worker, who runs the shelter, gets
    403 from both."""
    user = getattr(personas, persona)
    screens = _screens(personas, shelter, branch_a)
    api = _api(personas, shelter)
    for record in RECORDS:
        html = verified_client(user).post(*screens[record]).status_code
        rest = (
            verified_client(user)
            .post(f"/api/v1/{api[record][0]}", api[record][1], content_type="application/json")
            .status_code
        )
        assert html in (403, 404) and rest in (403, 404), (record, html, rest)
        if persona == "shelter_worker_a":
            assert html == rest == 403, record


def test_managers_set_up_only_at_their_own_branches(personas, branch_a, branch_b):
    assert may_set_up(personas.manager_a, branch_a)
    assert not may_set_up(personas.manager_a, branch_b)
    assert may_set_up(personas.admin, branch_b)
    assert not may_set_up(personas.shelter_worker_a, branch_a)
