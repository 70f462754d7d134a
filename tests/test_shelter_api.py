"""The shelter and programme REST API through HTTP: who may read and write
what, bad input as 400s that save nothing, the board's figures, the attendance
exports, and list query counts."""

import csv
import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate
from openpyxl import load_workbook

from counselling import services
from counselling.programmes import services as ps
from counselling.programmes.models import Attendance, ClassSession, Enrolment, Programme
from counselling.shelters import services as ss
from counselling.shelters.models import Bed, BedHold, Room, Shelter, Stay
from ngo.audit.models import AuditAction, AuditEvent
from ngo.audit.services import object_type_of
from tests.conftest import content_of, verified_client

API = "/api/v1"
NAME = "Nguyen Thi Lan"
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
# Who reads the SEO shelter (beds, stays, holds, the board): every role with the
# shelter capability at that branch, and the administrators.
READS_SEO_SHELTER = {"counsellor_a", "manager_a", "shelter_worker_a", "admin"}
# Who changes it: shelter workers, managers, administrators. The counsellor reads only.
WRITES_SEO_SHELTER = {"manager_a", "shelter_worker_a", "admin"}
# Who sets it up (the shelter, its rooms and beds): managers and administrators.
SETS_UP_SEO = {"manager_a", "admin"}
# The SEO programme: the branch's case workers read it, its facilitator (the
# volunteer) runs it, the manager and the administrators manage it.
READS_SEO_PROGRAMME = {"counsellor_a", "manager_a", "shelter_worker_a", "admin", "volunteer"}
WRITES_SEO_PROGRAMME = {"manager_a", "admin", "volunteer"}


def expected(persona: str, readers: set, writers: set, success: int) -> int:
    if persona in writers:
        return success
    if persona in readers:
        return 403
    return 404


def send(api, method, url, data=None, **extra):
    if method == "get":
        return api.get(f"{API}/{url}", **extra)
    return getattr(api, method)(f"{API}/{url}", data or {}, content_type="application/json")


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _fields(response) -> dict:
    assert response.status_code == 400, response.content
    return response.json()["error"]["fields"]


def _week_end(today: date) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(days=6)


@pytest.fixture
def world(personas, make_case, shelter, programme):
    """An SEO client with a child, staying in bed 101-A since yesterday; bed
    101-B held for a referral; the SEO programme with a past class, her enrolment
    and a community member's."""
    actor = personas.shelter_worker_a
    case = make_case(actor=personas.counsellor_a, name_romanised=NAME)
    child = services.child_add(actor=personas.counsellor_a, client=case.client, first_name="Minh")
    today = timezone.localdate()
    stay = ss.stay_admit(
        actor=actor,
        case=case,
        bed=shelter.test_beds["a"],
        admitted_on=today - timedelta(days=1),
        expected_leave_on=today + timedelta(days=60),
        children=[child],
    )
    hold = ss.bed_hold(actor=actor, bed=shelter.test_beds["b"], note="Police referral")
    session = ps.class_session_add(
        actor=personas.volunteer,
        programme=programme,
        starts_at=timezone.now() - timedelta(days=1),
        topic="Greetings",
    )
    enrolment = ps.enrol(actor=personas.manager_a, programme=programme, client=case.client)
    member = ps.enrol(
        actor=personas.volunteer,
        programme=programme,
        member_name="Community Member",
        member_contact="010-0000-1111",
    )
    return SimpleNamespace(
        shelter=shelter,
        beds=shelter.test_beds,
        room=shelter.test_beds["a"].room,
        case=case,
        client=case.client,
        child=child,
        stay=stay,
        hold=hold,
        programme=programme,
        session=session,
        enrolment=enrolment,
        member=member,
    )


# --- Reading --------------------------------------------------------------------------------

SHELTER_RECORDS = {
    "shelters": lambda w: w.shelter,
    "rooms": lambda w: w.room,
    "beds": lambda w: w.beds["a"],
    "stays": lambda w: w.stay,
    "bed-holds": lambda w: w.hold,
}
PROGRAMME_RECORDS = {
    "programmes": lambda w: w.programme,
    "class-sessions": lambda w: w.session,
    "enrolments": lambda w: w.enrolment,
}


@pytest.mark.parametrize(
    ("endpoint", "readers"),
    [(name, READS_SEO_SHELTER) for name in SHELTER_RECORDS]
    + [(name, READS_SEO_PROGRAMME) for name in PROGRAMME_RECORDS],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_retrieves_are_scoped_and_audited(personas, world, persona, endpoint, readers):
    user = getattr(personas, persona)
    api = verified_client(user)
    record = {**SHELTER_RECORDS, **PROGRAMME_RECORDS}[endpoint](world)
    reads = persona in readers

    listed = _ids(api.get(f"{API}/{endpoint}/"))
    assert record.pk in listed if reads else listed == []

    detail = api.get(f"{API}/{endpoint}/{record.pk}/")
    assert detail.status_code == (200 if reads else 404)
    events = AuditEvent.objects.filter(
        actor=user, object_type=object_type_of(record), object_id=str(record.pk)
    )
    if reads:
        assert detail.json()["id"] == record.pk
        assert events.filter(action=AuditAction.READ).count() == 1
    else:
        assert events.filter(action=AuditAction.PERMISSION_DENIED).count() == 1
        assert not events.filter(action=AuditAction.READ).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_board_is_read_by_the_shelter_readers(personas, world, persona):
    response = verified_client(getattr(personas, persona)).get(
        f"{API}/shelters/{world.shelter.pk}/board/"
    )
    assert response.status_code == (200 if persona in READS_SEO_SHELTER else 404)


@pytest.mark.parametrize(
    "url",
    ["programmes/{}/attendance/", "programmes/{}/attendance.csv", "programmes/{}/attendance.xlsx"],
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_attendance_sheet_and_exports_are_read_by_programme_readers(personas, world, persona, url):
    user = getattr(personas, persona)
    response = verified_client(user).get(f"{API}/{url.format(world.programme.pk)}")
    reads = persona in READS_SEO_PROGRAMME
    assert response.status_code == (200 if reads else 404)
    exported = AuditEvent.objects.filter(actor=user, action=AuditAction.EXPORT)
    assert exported.exists() == (reads and "attendance." in url)


def test_shelter_detail_has_the_address_and_beds_the_list_does_not(personas, world):
    api = verified_client(personas.shelter_worker_a)
    row = api.get(f"{API}/shelters/").json()["results"][0]
    assert "address" not in row and row["branch"] == "SEO"
    detail = api.get(f"{API}/shelters/{world.shelter.pk}/").json()
    assert detail["address"] == "비공개 주소"
    assert [room["name"] for room in detail["rooms"]] == ["101", "102"]
    assert [bed["label"] for bed in detail["rooms"][0]["beds"]] == ["A", "B", "C1"]


def test_stays_show_her_case_code_never_her_name(personas, world):
    api = verified_client(personas.shelter_worker_a)
    for url in ("stays/", f"stays/{world.stay.pk}/", f"shelters/{world.shelter.pk}/board/"):
        response = api.get(f"{API}/{url}")
        assert response.status_code == 200
        assert world.client.case_code.encode() in response.content
        assert NAME.encode() not in response.content
    data = api.get(f"{API}/stays/{world.stay.pk}/").json()
    assert data["case_code"] == world.client.case_code
    assert data["children"] == [world.child.pk] and data["children_count"] == 1
    assert (data["room_name"], data["bed_label"]) == ("101", "A")
    assert data["is_open"] is True


def test_a_counsellor_of_another_branch_sees_the_stay_of_her_own_client(personas, world, make_case):
    busan_case = make_case(actor=personas.counsellor_b)
    stay = ss.stay_admit(actor=personas.admin, case=busan_case, bed=world.beds["c"])
    api = verified_client(personas.counsellor_b)
    assert _ids(api.get(f"{API}/stays/")) == [stay.pk]
    assert api.get(f"{API}/stays/{stay.pk}/").status_code == 200
    assert api.get(f"{API}/shelters/{world.shelter.pk}/board/").status_code == 404
    assert api.get(f"{API}/stays/{world.stay.pk}/").status_code == 404


def test_stay_list_filters(personas, world, make_case):
    api = verified_client(personas.shelter_worker_a)
    today = timezone.localdate()
    old = ss.stay_admit(
        actor=personas.shelter_worker_a,
        case=make_case(),
        bed=world.beds["c"],
        admitted_on=today - timedelta(days=30),
    )
    ss.stay_discharge(
        actor=personas.shelter_worker_a,
        stay=old,
        discharged_on=today - timedelta(days=20),
        destination="independent",
    )

    def ids(query):
        return sorted(_ids(api.get(f"{API}/stays/?{query}")))

    assert ids("") == sorted([old.pk, world.stay.pk])
    assert ids("open=true") == [world.stay.pk]
    assert ids("open=false") == [old.pk]
    assert ids(f"case={world.case.pk}") == [world.stay.pk]
    assert ids(f"shelter={world.shelter.pk}") == sorted([old.pk, world.stay.pk])
    assert ids(f"admitted_from={today - timedelta(days=2)}") == [world.stay.pk]
    assert ids(f"admitted_until={today - timedelta(days=2)}") == [old.pk]
    assert api.get(f"{API}/stays/?admitted_from=someday").status_code == 400


# --- Writing: the parent is fetched for writing first, then the service ----------------------

SHELTER_WRITES = {
    "change the shelter": (
        "patch",
        lambda w: (f"shelters/{w.shelter.pk}/", {"hold_hours": 4}),
        200,
    ),
    "add a room": ("post", lambda w: ("rooms/", {"shelter": w.shelter.pk, "name": "103"}), 201),
    "add a bed": ("post", lambda w: ("beds/", {"room": w.room.pk, "label": "D"}), 201),
    "take a bed out of service": (
        "patch",
        lambda w: (f"beds/{w.beds['c'].pk}/", {"out_of_service": True}),
        200,
    ),
    "admit": (
        "post",
        lambda w: ("stays/", {"case": w.other_case.pk, "bed": w.beds["c"].pk}),
        201,
    ),
    "move": ("post", lambda w: (f"stays/{w.stay.pk}/move/", {"bed": w.beds["c"].pk}), 200),
    "discharge": (
        "post",
        lambda w: (f"stays/{w.stay.pk}/discharge/", {"destination": "home"}),
        200,
    ),
    "change the expected leave date": (
        "patch",
        lambda w: (
            f"stays/{w.stay.pk}/",
            {"expected_leave_on": str(timezone.localdate() + timedelta(days=30))},
        ),
        200,
    ),
    "hold a bed": ("post", lambda w: ("bed-holds/", {"bed": w.beds["c"].pk}), 201),
    "release a hold": ("post", lambda w: (f"bed-holds/{w.hold.pk}/release/", {}), 200),
}

SETTING_UP = {"change the shelter", "add a room", "add a bed"}

PROGRAMME_WRITES = {
    "change the programme": (
        "patch",
        lambda w: (f"programmes/{w.programme.pk}/", {"interpreter_available": True}),
        200,
    ),
    "add a class": (
        "post",
        lambda w: (
            "class-sessions/",
            {"programme": w.programme.pk, "starts_at": "2030-03-02T10:00:00+09:00"},
        ),
        201,
    ),
    "enrol a community member": (
        "post",
        lambda w: ("enrolments/", {"programme": w.programme.pk, "member_name": "Park Mi"}),
        201,
    ),
    "withdraw an enrolment": ("post", lambda w: (f"enrolments/{w.member.pk}/withdraw/", {}), 200),
    "take the register": (
        "post",
        lambda w: (
            f"class-sessions/{w.session.pk}/attendance/",
            {"present": {str(w.enrolment.pk): True, str(w.member.pk): False}},
        ),
        200,
    ),
}


def _audit_rows():
    return AuditEvent.objects.exclude(
        action__in=[AuditAction.READ, AuditAction.PERMISSION_DENIED]
    ).count()


@pytest.mark.parametrize("write", SHELTER_WRITES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_shelter_writes(personas, world, make_case, persona, write):
    world.other_case = make_case(actor=personas.manager_a)
    method, build, success = SHELTER_WRITES[write]
    url, data = build(world)
    api = verified_client(getattr(personas, persona))
    before = _audit_rows()
    response = send(api, method, url, data)
    writers = SETS_UP_SEO if write in SETTING_UP else WRITES_SEO_SHELTER
    status = expected(persona, READS_SEO_SHELTER, writers, success)
    assert response.status_code == status, response.content
    assert (_audit_rows() > before) == (status == success)


@pytest.mark.parametrize("write", PROGRAMME_WRITES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_programme_writes(personas, world, persona, write):
    method, build, success = PROGRAMME_WRITES[write]
    url, data = build(world)
    api = verified_client(getattr(personas, persona))
    before = _audit_rows()
    response = send(api, method, url, data)
    status = expected(persona, READS_SEO_PROGRAMME, WRITES_SEO_PROGRAMME, success)
    assert response.status_code == status, response.content
    assert (_audit_rows() > before) == (status == success)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sets_up_a_shelter(personas, branch_a, persona):
    body = {"name": "New shelter", "address": "somewhere", "branch": "SEO"}
    response = send(verified_client(getattr(personas, persona)), "post", "shelters/", body)
    if persona in SETS_UP_SEO:
        assert response.status_code == 201, response.content
        assert response.json()["branch"] == "SEO" and response.json()["address"] == "somewhere"
    else:
        assert response.status_code == 403
        assert not Shelter.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sets_up_a_programme(personas, branch_a, persona):
    body = {
        "branch": "SEO",
        "title_ko": "리더십",
        "title_en": "Leadership",
        "kind": "leadership",
        "facilitator": personas.volunteer.pk,
        "language": "ko",
        "starts_on": "2030-03-01",
    }
    response = send(verified_client(getattr(personas, persona)), "post", "programmes/", body)
    if persona in ("manager_a", "admin"):
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["facilitator"]["id"] == personas.volunteer.pk
        assert (data["class_count"], data["enrolled_count"]) == (0, 0)
    else:
        assert response.status_code == 403
        assert not Programme.objects.exists()


def test_shelters_and_programmes_are_set_up_at_your_own_branch(personas, branch_b):
    api = verified_client(personas.manager_a)
    shelter = send(api, "post", "shelters/", {"name": "Busan house", "branch": "BUS"})
    assert "branch" in _fields(shelter)
    programme = send(
        api,
        "post",
        "programmes/",
        {
            "branch": "BUS",
            "title_ko": "한국어",
            "title_en": "Korean",
            "kind": "korean",
            "facilitator": personas.volunteer.pk,
            "language": "ko",
            "starts_on": "2030-03-01",
        },
    )
    assert "branch" in _fields(programme)
    assert not Shelter.objects.exists() and not Programme.objects.exists()


def test_manager_sets_up_rooms_and_beds_and_the_worker_takes_one_out_of_service(personas, world):
    worker = verified_client(personas.shelter_worker_a)
    assert (
        send(worker, "post", "rooms/", {"shelter": world.shelter.pk, "name": "201"}).status_code
        == 403
    )
    assert send(worker, "post", "beds/", {"room": world.room.pk, "label": "D"}).status_code == 403
    api = verified_client(personas.manager_a)
    room = send(api, "post", "rooms/", {"shelter": world.shelter.pk, "name": "201"})
    assert room.status_code == 201 and room.json()["beds"] == []
    bed = send(api, "post", "beds/", {"room": room.json()["id"], "label": "A", "kind": "cot"})
    assert bed.status_code == 201
    assert bed.json() | {"id": 0} == {
        "id": 0,
        "version": 1,
        "shelter": world.shelter.pk,
        "room": room.json()["id"],
        "room_name": "201",
        "label": "A",
        "kind": "cot",
        "out_of_service": False,
        "out_of_service_until": None,
        "out_of_service_note": "",
    }
    assert "name" in _fields(
        send(api, "post", "rooms/", {"shelter": world.shelter.pk, "name": "201"})
    )
    assert "label" in _fields(send(api, "post", "beds/", {"room": room.json()["id"], "label": "A"}))
    # Not while someone sleeps in it.
    occupied = send(worker, "patch", f"beds/{world.beds['a'].pk}/", {"out_of_service": True})
    assert "out_of_service" in _fields(occupied)
    response = send(worker, "patch", f"beds/{bed.json()['id']}/", {"out_of_service": True})
    assert response.json()["out_of_service"] is True


def test_shelter_manager_admits_moves_and_discharges(personas, world, make_case):
    api = verified_client(personas.shelter_worker_a)
    today = timezone.localdate()
    moved = send(api, "post", f"stays/{world.stay.pk}/move/", {"bed": world.beds["c"].pk})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["bed"], moved.json()["room_name"]) == (world.beds["c"].pk, "102")
    discharged = send(
        api,
        "post",
        f"stays/{world.stay.pk}/discharge/",
        {"destination": "independent", "notes": "Moved in with her sister."},
    )
    assert discharged.status_code == 200, discharged.content
    data = discharged.json()
    assert data["discharged_on"] == str(today) and data["destination"] == "independent"
    assert data["discharge_notes"] == "Moved in with her sister." and data["is_open"] is False
    # Her bed is free again: she may come back later.
    again = send(api, "post", "stays/", {"case": world.case.pk, "bed": world.beds["c"].pk})
    assert again.status_code == 201, again.content
    assert again.json()["expected_leave_on"] == str(today + timedelta(days=90))


def test_a_hold_for_her_case_lets_her_in_and_keeps_others_out(personas, world, make_case):
    api = verified_client(personas.shelter_worker_a)
    arriving, other = make_case(), make_case()
    hold = send(
        api, "post", "bed-holds/", {"bed": world.beds["c"].pk, "case": arriving.pk, "hours": 3}
    )
    assert hold.status_code == 201, hold.content
    assert hold.json()["case_code"] == arriving.client.case_code
    assert hold.json()["is_active"] is True
    assert "bed" in _fields(
        send(api, "post", "stays/", {"case": other.pk, "bed": world.beds["c"].pk})
    )
    assert (
        send(api, "post", "stays/", {"case": arriving.pk, "bed": world.beds["c"].pk}).status_code
        == 201
    )
    assert BedHold.objects.get(pk=hold.json()["id"]).released_at is not None


def test_enrolling_a_client_needs_to_see_her(personas, world, make_case):
    new = make_case()
    body = {"programme": world.programme.pk, "client": new.client_id}
    # The facilitator (a volunteer) never sees clients: community members only.
    assert send(verified_client(personas.volunteer), "post", "enrolments/", body).status_code == 404
    response = send(verified_client(personas.manager_a), "post", "enrolments/", body)
    assert response.status_code == 201, response.content
    assert response.json()["case_code"] == new.client.case_code
    again = send(verified_client(personas.manager_a), "post", "enrolments/", body)
    assert "client" in _fields(again)


def test_the_register_completes_enrolments_at_the_threshold(personas, world):
    api = verified_client(personas.volunteer)
    response = send(
        api,
        "post",
        f"class-sessions/{world.session.pk}/attendance/",
        {"present": {str(world.enrolment.pk): True, str(world.member.pk): False}},
    )
    assert response.status_code == 200, response.content
    assert {row["enrolment"]: row["present"] for row in response.json()} == {
        world.enrolment.pk: True,
        world.member.pk: False,
    }
    world.enrolment.refresh_from_db()
    world.member.refresh_from_db()
    assert (world.enrolment.status, world.member.status) == ("completed", "enrolled")
    sheet = api.get(f"{API}/programmes/{world.programme.pk}/attendance/").json()
    assert [s["id"] for s in sheet["sessions"]] == [world.session.pk]
    rows = {row["who"]: row for row in sheet["rows"]}
    assert rows[world.client.case_code]["marks"] == [True]
    assert rows[world.client.case_code]["rate"] == 100
    assert rows["Community Member"]["marks"] == [False]
    assert NAME not in str(sheet)


# --- Bad input: 400, the field named, nothing saved -------------------------------------


def test_discharge_before_admission(personas, world):
    api = verified_client(personas.shelter_worker_a)
    response = send(
        api,
        "post",
        f"stays/{world.stay.pk}/discharge/",
        {"destination": "home", "discharged_on": str(world.stay.admitted_on - timedelta(days=3))},
    )
    assert "discharged_on" in _fields(response)
    world.stay.refresh_from_db()
    assert world.stay.discharged_on is None and world.stay.occupancies.get().ends_on is None
    assert "destination" in _fields(send(api, "post", f"stays/{world.stay.pk}/discharge/", {}))


def test_a_stay_on_an_out_of_service_bed(personas, world, make_case):
    ss.bed_set_out_of_service(actor=personas.admin, bed=world.beds["c"], out_of_service=True)
    response = send(
        verified_client(personas.shelter_worker_a),
        "post",
        "stays/",
        {"case": make_case().pk, "bed": world.beds["c"].pk},
    )
    assert "bed" in _fields(response)
    assert Stay.objects.count() == 1


def test_children_count_above_her_recorded_children(personas, world, make_case):
    case = make_case()
    child = services.child_add(actor=personas.counsellor_a, client=case.client, first_name="An")
    api = verified_client(personas.shelter_worker_a)
    body = {"case": case.pk, "bed": world.beds["c"].pk, "children": [child.pk]}
    assert "children_count" in _fields(send(api, "post", "stays/", {**body, "children_count": 2}))
    # Someone else's child is not hers (and is not said to exist).
    other = {**body, "children": [world.child.pk]}
    assert "children" in _fields(send(api, "post", "stays/", other))
    assert Stay.objects.count() == 1
    response = send(api, "post", "stays/", {**body, "children_count": 1})
    assert response.status_code == 201 and response.json()["children"] == [child.pk]


def test_overlapping_stay_on_an_occupied_bed(personas, world, make_case):
    response = send(
        verified_client(personas.shelter_worker_a),
        "post",
        "stays/",
        {"case": make_case().pk, "bed": world.beds["a"].pk},
    )
    assert "bed" in _fields(response)
    assert Stay.objects.count() == 1


def test_second_open_stay_for_the_same_client(personas, world):
    response = send(
        verified_client(personas.shelter_worker_a),
        "post",
        "stays/",
        {"case": world.case.pk, "bed": world.beds["c"].pk},
    )
    assert "case" in _fields(response)
    assert Stay.objects.count() == 1


def test_no_admission_on_a_closed_case(personas, world, make_case):
    case = make_case()
    services.case_change_status(
        actor=personas.counsellor_a, case=case, to="closed", closure_reason="resolved"
    )
    response = send(
        verified_client(personas.shelter_worker_a),
        "post",
        "stays/",
        {"case": case.pk, "bed": world.beds["c"].pk},
    )
    assert "case" in _fields(response)
    assert Stay.objects.count() == 1


def test_expected_leave_before_admission(personas, world, make_case):
    api = verified_client(personas.shelter_worker_a)
    early = str(world.stay.admitted_on - timedelta(days=1))
    patched = send(api, "patch", f"stays/{world.stay.pk}/", {"expected_leave_on": early})
    assert "expected_leave_on" in _fields(patched)
    world.stay.refresh_from_db()
    assert world.stay.expected_leave_on == timezone.localdate() + timedelta(days=60)
    body = {"case": make_case().pk, "bed": world.beds["c"].pk, "expected_leave_on": early}
    assert "expected_leave_on" in _fields(send(api, "post", "stays/", body))
    assert Stay.objects.count() == 1


def test_admission_in_the_future_and_moves_out_of_the_shelter(personas, world, make_case, branch_a):
    api = verified_client(personas.shelter_worker_a)
    tomorrow = str(timezone.localdate() + timedelta(days=1))
    body = {"case": make_case().pk, "bed": world.beds["c"].pk, "admitted_on": tomorrow}
    assert "admitted_on" in _fields(send(api, "post", "stays/", body))
    other = ss.shelter_create(actor=personas.admin, branch=branch_a, name="Second house")
    bed = ss.bed_create(
        actor=personas.admin,
        room=ss.room_create(actor=personas.admin, shelter=other, name="1"),
        label="A",
    )
    assert "bed" in _fields(send(api, "post", f"stays/{world.stay.pk}/move/", {"bed": bed.pk}))
    assert world.stay.occupancies.count() == 1


def test_attendance_for_a_class_that_has_not_happened(personas, world):
    later = ps.class_session_add(
        actor=personas.volunteer,
        programme=world.programme,
        starts_at=timezone.now() + timedelta(days=2),
    )
    api = verified_client(personas.volunteer)
    response = send(
        api,
        "post",
        f"class-sessions/{later.pk}/attendance/",
        {"present": {str(world.enrolment.pk): True}},
    )
    assert "session" in _fields(response)
    assert not Attendance.objects.exists()


def test_attendance_for_someone_not_enrolled(personas, world, branch_a):
    other = ps.programme_create(
        actor=personas.manager_a,
        branch=branch_a,
        title_ko="문화",
        title_en="Culture",
        kind="culture",
        facilitator=personas.volunteer,
        language="ko",
        starts_on=timezone.localdate(),
    )
    stranger = ps.enrol(actor=personas.manager_a, programme=other, member_name="Elsewhere")
    api = verified_client(personas.volunteer)
    url = f"class-sessions/{world.session.pk}/attendance/"
    assert "present" in _fields(send(api, "post", url, {"present": {str(stranger.pk): True}}))
    assert "present" in _fields(send(api, "post", url, {"present": {"her": True}}))
    assert "present" in _fields(send(api, "post", url, {"present": {}}))
    assert not Attendance.objects.exists()


def test_programme_input_checks(personas, world):
    api = verified_client(personas.manager_a)
    patched = send(api, "patch", f"programmes/{world.programme.pk}/", {"ends_on": "2000-01-01"})
    assert "ends_on" in _fields(patched)
    world.programme.refresh_from_db()
    assert world.programme.ends_on is None
    neither = send(api, "post", "enrolments/", {"programme": world.programme.pk})
    assert "client" in _fields(neither)
    both = send(
        api,
        "post",
        "enrolments/",
        {"programme": world.programme.pk, "client": world.client.pk, "member_name": "X"},
    )
    assert "client" in _fields(both)
    assert Enrolment.objects.count() == 2
    assert "language" in _fields(
        send(api, "patch", f"programmes/{world.programme.pk}/", {"language": "klingon"})
    )


def test_a_held_or_occupied_bed_cannot_be_held(personas, world):
    api = verified_client(personas.shelter_worker_a)
    for bed in ("a", "b"):
        assert "bed" in _fields(send(api, "post", "bed-holds/", {"bed": world.beds[bed].pk}))
    assert "hours" in _fields(
        send(api, "post", "bed-holds/", {"bed": world.beds["c"].pk, "hours": 100})
    )
    assert BedHold.objects.count() == 1


# --- The board ----------------------------------------------------------------------------------


def _board(api, shelter):
    response = api.get(f"{API}/shelters/{shelter.pk}/board/")
    assert response.status_code == 200, response.content
    return response.json()


def test_board_figures_match_the_stays(personas, world):
    ss.bed_set_out_of_service(actor=personas.admin, bed=world.beds["cot"], out_of_service=True)
    week_end = _week_end(timezone.localdate())
    ss.stay_update(actor=personas.admin, stay=world.stay, expected_leave_on=week_end)
    board = _board(verified_client(personas.shelter_worker_a), world.shelter)
    assert board["counts"] == {"free": 1, "held": 1, "occupied": 1, "out_of_service": 1}
    beds = {(bed["room"], bed["label"]): bed for bed in board["beds"]}
    assert beds[("101", "A")] | {"id": 0} == {
        "id": 0,
        "room": "101",
        "label": "A",
        "kind": "adult",
        "status": "occupied",
        "case_code": world.client.case_code,
        "stay": world.stay.pk,
        "hold_expires_at": None,
    }
    assert beds[("101", "B")]["status"] == "held"
    assert beds[("101", "B")]["hold_expires_at"] is not None
    assert beds[("101", "C1")]["status"] == "out_of_service"
    assert beds[("102", "A")]["status"] == "free"
    leaves = [(row["stay"], row["expected_leave_on"]) for row in board["leaves_due"]]
    assert leaves == [(world.stay.pk, str(week_end))]
    arrived_this_week = world.stay.admitted_on >= week_end - timedelta(days=6)
    arrivals = [row["case_code"] for row in board["arrivals"]]
    assert arrivals == ([world.client.case_code] if arrived_this_week else [])
    assert NAME not in str(board)


def test_board_shows_the_occupancy_rate_of_a_month_with_a_known_stay(personas, world, make_case):
    # Two months back: the shared stay began yesterday, which on the 1st of a
    # month is already last month, so only the month before holds no other night.
    first_of_last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    two_months_ago = (first_of_last_month - timedelta(days=1)).replace(day=1)
    stay = ss.stay_admit(
        actor=personas.shelter_worker_a,
        case=make_case(),
        bed=world.beds["c"],
        admitted_on=two_months_ago,
    )
    ss.stay_discharge(
        actor=personas.shelter_worker_a,
        stay=stay,
        discharged_on=two_months_ago + timedelta(days=10),
        destination="home",
    )
    board = _board(verified_client(personas.manager_a), world.shelter)
    months = {(row["year"], row["month"]): row for row in board["months"]}
    assert len(months) == 6
    row = months[(two_months_ago.year, two_months_ago.month)]
    days = (first_of_last_month - two_months_ago).days
    assert row["bed_nights"] == 10
    assert row["capacity"] == 4 * days
    assert row["rate"] == round(100 * 10 / (4 * days), 1)


def test_a_hold_shows_as_held_then_free_after_it_lapses(personas, world):
    api = verified_client(personas.shelter_worker_a)
    hold = send(api, "post", "bed-holds/", {"bed": world.beds["c"].pk, "note": "On her way"})
    assert hold.status_code == 201
    bed = world.beds["c"].pk

    def status_of_bed():
        return {b["id"]: b for b in _board(api, world.shelter)["beds"]}[bed]

    assert status_of_bed()["status"] == "held"
    assert status_of_bed()["hold_expires_at"] == hold.json()["expires_at"]
    assert hold.json()["id"] in _ids(api.get(f"{API}/bed-holds/?active=true"))
    BedHold.objects.filter(pk=hold.json()["id"]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert status_of_bed() | {"id": 0} == {
        "id": 0,
        "room": "102",
        "label": "A",
        "kind": "adult",
        "status": "free",
        "case_code": None,
        "stay": None,
        "hold_expires_at": None,
    }
    assert hold.json()["id"] in _ids(api.get(f"{API}/bed-holds/?active=false"))
    assert _board(api, world.shelter)["counts"]["held"] == 1  # bed B's hold


def test_releasing_a_hold_frees_the_bed(personas, world):
    api = verified_client(personas.manager_a)
    released = send(api, "post", f"bed-holds/{world.hold.pk}/release/")
    assert released.status_code == 200 and released.json()["released_at"] is not None
    assert released.json()["is_active"] is False
    states = {b["id"]: b["status"] for b in _board(api, world.shelter)["beds"]}
    assert states[world.beds["b"].pk] == "free"


# --- Exports -----------------------------------------------------------------------------


@pytest.fixture
def register(personas, world):
    """Two past classes: she came to both; the member missed the first and was not
    marked at the second. A member whose name looks like a spreadsheet formula."""
    second = ps.class_session_add(
        actor=personas.volunteer,
        programme=world.programme,
        starts_at=timezone.now() - timedelta(hours=2),
    )
    tricky = ps.enrol(actor=personas.volunteer, programme=world.programme, member_name="=1+2")
    ps.attendance_record(
        actor=personas.volunteer,
        session=world.session,
        present={world.enrolment.pk: True, world.member.pk: False},
    )
    ps.attendance_record(
        actor=personas.volunteer, session=second, present={world.enrolment.pk: True}
    )
    header = [
        "participant",
        "kind",
        "status",
        *(
            timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M")
            for s in (world.session, second)
        ),
        "attended",
        "attendance (%)",
    ]
    return SimpleNamespace(second=second, tricky=tricky, header=header)


def _export(api, programme, extension):
    response = api.get(
        f"{API}/programmes/{programme.pk}/attendance.{extension}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200, response.content
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="attendance-{programme.pk}-'
    )
    return response


def test_csv_export(personas, world, register):
    api = verified_client(personas.volunteer)
    response = _export(api, world.programme, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.streaming
    text = content_of(response).decode("utf-8-sig")
    assert NAME not in text and "010-0000-1111" not in text
    assert list(csv.reader(io.StringIO(text))) == [
        register.header,
        [world.client.case_code, "client", "Completed", "present", "present", "2", "100"],
        ["Community Member", "community member", "Enrolled", "absent", "", "0", "0"],
        ["'=1+2", "community member", "Enrolled", "", "", "0", "0"],
    ]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.object_type, event.object_id) == (
        personas.volunteer,
        "counselling.programme",
        str(world.programme.pk),
    )
    assert event.branch_id == world.programme.branch_id and event.reason == "csv"


def test_xlsx_export(personas, world, register):
    api = verified_client(personas.manager_a)
    response = _export(api, world.programme, "xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(content_of(response)))
    rows = [
        ["" if value is None else value for value in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]
    assert rows == [
        register.header,
        [world.client.case_code, "client", "Completed", "present", "present", 2, 100],
        ["Community Member", "community member", "Enrolled", "absent", "", 0, 0],
        ["'=1+2", "community member", "Enrolled", "", "", 0, 0],
    ]
    assert workbook.active["A4"].data_type == "s"  # text, never a formula
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, actor=personas.manager_a, reason="xlsx"
    ).exists()


def test_exports_answer_whatever_the_accept_header(personas, world):
    api = verified_client(personas.volunteer)
    response = api.get(
        f"{API}/programmes/{world.programme.pk}/attendance.xlsx", HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 200


# --- Query counts ------------------------------------------------------------------------

LIST_URLS = [
    "shelters/",
    "rooms/",
    "beds/",
    "stays/",
    "bed-holds/",
    "programmes/",
    "class-sessions/",
    "enrolments/",
]


def _populate(personas, make_case, branch, start, count):
    """`count` shelters with a room, two beds, a stay (with a child) and a hold,
    and `count` programmes with a class, a client and a community member."""
    admin = personas.admin
    for number in range(start, start + count):
        shelter = ss.shelter_create(actor=admin, branch=branch, name=f"House {number}")
        room = ss.room_create(actor=admin, shelter=shelter, name="1")
        beds = [ss.bed_create(actor=admin, room=room, label=label) for label in ("A", "B")]
        case = make_case(actor=personas.manager_a)
        child = services.child_add(actor=admin, client=case.client, first_name="Kid")
        ss.stay_admit(actor=admin, case=case, bed=beds[0], children=[child])
        ss.bed_hold(actor=admin, bed=beds[1], case=make_case(actor=personas.manager_a))
        programme = ps.programme_create(
            actor=admin,
            branch=branch,
            title_ko=f"과정 {number}",
            title_en=f"Course {number}",
            kind="korean",
            facilitator=personas.volunteer,
            language="ko",
            starts_on=timezone.localdate(),
        )
        ps.class_session_add(actor=admin, programme=programme, starts_at=timezone.now())
        ps.enrol(actor=admin, programme=programme, client=case.client)
        ps.enrol(actor=admin, programme=programme, member_name=f"Member {number}")


def _queries(api, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.dates_as_data
@pytest.mark.parametrize("url", LIST_URLS)
def test_list_endpoints_do_not_grow_queries_with_rows(personas, make_case, branch_a, url):
    api = verified_client(personas.manager_a)
    api.get(f"{API}/shelters/")  # settle the session
    url = f"{API}/{url}?page_size=100"
    _populate(personas, make_case, branch_a, 0, 2)
    few = _queries(api, url)
    _populate(personas, make_case, branch_a, 2, 18)
    many = _queries(api, url)
    assert len(api.get(url).json()["results"]) >= 20
    assert many == few
    assert few <= 12


def test_board_and_attendance_sheet_do_not_grow_queries_with_rows(personas, world, make_case):
    api = verified_client(personas.manager_a)
    board_url = f"{API}/shelters/{world.shelter.pk}/board/"
    sheet_url = f"{API}/programmes/{world.programme.pk}/attendance/"
    api.get(board_url)
    few = (_queries(api, board_url), _queries(api, sheet_url))
    room = Room.objects.get(shelter=world.shelter, name="102")
    for number in range(10):
        bed = ss.bed_create(actor=personas.admin, room=room, label=f"X{number}")
        ss.stay_admit(actor=personas.admin, case=make_case(), bed=bed)
        session = ps.class_session_add(
            actor=personas.admin, programme=world.programme, starts_at=timezone.now()
        )
        member = ps.enrol(actor=personas.admin, programme=world.programme, member_name=f"M{number}")
        ps.attendance_record(actor=personas.admin, session=session, present={member.pk: True})
    assert (_queries(api, board_url), _queries(api, sheet_url)) == few
    assert Bed.objects.count() == 14 and ClassSession.objects.count() == 11


# --- Schema --------------------------------------------------------------------------------


def test_schema_describes_the_shelter_and_programme_api(personas):
    response = verified_client(personas.admin).get("/api/schema/")
    schema = yaml.safe_load(response.content)
    validate(schema)
    for path in (
        "/api/v1/shelters/",
        "/api/v1/shelters/{id}/board/",
        "/api/v1/rooms/",
        "/api/v1/beds/{id}/",
        "/api/v1/stays/",
        "/api/v1/stays/{id}/move/",
        "/api/v1/stays/{id}/discharge/",
        "/api/v1/bed-holds/{id}/release/",
        "/api/v1/programmes/{id}/attendance/",
        "/api/v1/programmes/{id}/attendance.csv",
        "/api/v1/programmes/{id}/attendance.xlsx",
        "/api/v1/class-sessions/{id}/attendance/",
        "/api/v1/enrolments/{id}/withdraw/",
    ):
        assert path in schema["paths"], path
    board_bed = schema["components"]["schemas"]["BoardBed"]["properties"]
    assert set(board_bed) == {
        "id",
        "room",
        "label",
        "kind",
        "status",
        "case_code",
        "stay",
        "hold_expires_at",
    }
