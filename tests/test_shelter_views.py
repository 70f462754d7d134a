"""The shelter and programme screens, through HTTP as each persona would use them."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from counselling import services
from counselling.programmes import services as ps
from counselling.programmes.models import Attendance, ClassSession, Enrolment, Programme
from counselling.shelters import services as ss
from counselling.shelters.models import BedHold, Room, Stay
from ngo.audit.models import AuditEvent
from tests.conftest import content_of, verified_client

NAME_ORIGINAL = "쩐 티 마이"
NAME_ROMANISED = "Tran Thi Mai"


@pytest.fixture
def world(personas, make_case, shelter, programme):
    """Counsellor A's client, with two children, staying in bed 101-A since five
    days ago; a second client of hers waiting to be admitted; a class that has
    happened and one to come in the programme, with her enrolled."""
    worker = personas.shelter_worker_a
    staying = make_case(name_original=NAME_ORIGINAL, name_romanised=NAME_ROMANISED)
    for name, age in (("Linh", 6), ("Bao", 3)):
        services.child_add(
            actor=personas.counsellor_a, client=staying.client, first_name=name, age=age
        )
    stay = ss.stay_admit(
        actor=worker,
        case=staying,
        bed=shelter.test_beds["a"],
        admitted_on=timezone.localdate() - timedelta(days=5),
    )
    waiting = make_case(name_romanised="Nguyen Thi Hoa")
    services.child_add(actor=personas.counsellor_a, client=waiting.client, first_name="An", age=2)
    now = timezone.now()
    past = ps.class_session_add(
        actor=personas.volunteer, programme=programme, starts_at=now - timedelta(days=1), topic="1"
    )
    future = ps.class_session_add(
        actor=personas.volunteer, programme=programme, starts_at=now + timedelta(days=6), topic="2"
    )
    enrolment = ps.enrol(actor=personas.manager_a, programme=programme, client=staying.client)
    return {
        "shelter": shelter,
        "beds": shelter.test_beds,
        "stay": stay,
        "staying": staying,
        "waiting": waiting,
        "programme": programme,
        "past": past,
        "future": future,
        "enrolment": enrolment,
    }


def _pages(world):
    shelter, programme = world["shelter"], world["programme"]
    return {
        "shelters": "/counselling/shelters/",
        "board": f"/counselling/shelters/{shelter.pk}/",
        "stay": f"/counselling/stays/{world['stay'].pk}/",
        "admit": f"/counselling/shelters/beds/{world['beds']['b'].pk}/admit/",
        "programmes": "/counselling/programmes/",
        "programme": f"/counselling/programmes/{programme.pk}/",
        "print": f"/counselling/programmes/{programme.pk}/attendance/print/",
        "csv": f"/counselling/programmes/{programme.pk}/attendance.csv",
        "xlsx": f"/counselling/programmes/{programme.pk}/attendance.xlsx",
    }


def _all(status):
    return dict.fromkeys(
        ("shelters", "board", "stay", "admit", "programmes", "programme", "print", "csv", "xlsx"),
        status,
    )


NO_SHELTER = {"shelters": 404, "board": 404, "stay": 404, "admit": 404}
EXPECTED = {
    "shelter_worker_a": _all(200),
    "manager_a": _all(200),
    "admin": _all(200),
    "counsellor_a": {**_all(200), "admit": 403},
    "counsellor_b": {
        **_all(404),
        "shelters": 200,  # the list, of her own branch's shelters: none
        "programmes": 200,
    },
    "coordinator": {**_all(404), **NO_SHELTER, "programmes": 200},
    "policy_officer": {**_all(404), **NO_SHELTER, "programmes": 200},
    "auditor": {**_all(404), **NO_SHELTER, "programmes": 200},
    # The facilitator of the programme: her programme, no shelter.
    "volunteer": {**_all(200), **NO_SHELTER},
}
PERMISSION_CASES = [
    (persona, page, status) for persona, pages in EXPECTED.items() for page, status in pages.items()
]


@pytest.mark.parametrize(("persona", "page", "expected"), PERMISSION_CASES)
def test_who_may_open_each_screen(personas, world, persona, page, expected):
    response = verified_client(getattr(personas, persona)).get(_pages(world)[page])
    assert response.status_code == expected


def test_shelter_list_shows_only_the_shelters_of_her_branches(personas, world, branch_b):
    busan = ss.shelter_create(actor=personas.admin, branch=branch_b, name="Busan shelter")
    seoul = verified_client(personas.shelter_worker_a).get("/counselling/shelters/")
    assert "Seoul shelter" in seoul.content.decode()
    assert "Busan shelter" not in seoul.content.decode()
    b = verified_client(personas.counsellor_b).get("/counselling/shelters/").content.decode()
    assert "Busan shelter" in b and "Seoul shelter" not in b
    everything = verified_client(personas.admin).get("/counselling/shelters/").content.decode()
    assert "Busan shelter" in everything and "Seoul shelter" in everything
    assert (
        verified_client(personas.counsellor_b).get(f"/counselling/shelters/{busan.pk}/").status_code
        == 200
    )


def _admit_data(case, **extra):
    return {"case_code": case.client.case_code, "admitted_on": timezone.localdate(), **extra}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("shelter_worker_a", 302),
        ("manager_a", 302),
        ("admin", 302),
        ("counsellor_a", 403),
        ("counsellor_b", 404),
        ("coordinator", 404),
        ("volunteer", 404),
        ("auditor", 404),
    ],
)
def test_who_may_admit(personas, world, persona, expected):
    response = verified_client(getattr(personas, persona)).post(
        _pages(world)["admit"], _admit_data(world["waiting"])
    )
    assert response.status_code == expected
    admitted = Stay.objects.filter(case=world["waiting"]).exists()
    assert admitted == (expected == 302)


def test_counsellor_reads_the_board_but_sees_no_actions(personas, world):
    html = verified_client(personas.counsellor_a).get(_pages(world)["board"]).content.decode()
    assert world["staying"].client.case_code in html
    assert "/admit/" not in html and "/hold/" not in html and "/service/" not in html
    worker = verified_client(personas.shelter_worker_a).get(_pages(world)["board"])
    assert "/admit/" in worker.content.decode()


@pytest.mark.parametrize(
    ("persona", "page", "expected"),
    [
        ("shelter_worker_a", "stay_move", 302),
        ("counsellor_a", "stay_move", 403),
        ("counsellor_b", "stay_move", 404),
        ("volunteer", "stay_discharge", 404),
        ("counsellor_a", "stay_discharge", 403),
        ("counsellor_a", "hold", 403),
        ("counsellor_a", "service", 403),
        ("counsellor_b", "hold", 404),
        ("shelter_worker_a", "room", 403),  # rooms and beds: managers and administrators
        ("shelter_worker_a", "bed", 403),
        ("counsellor_a", "room", 403),
        ("manager_a", "room", 302),
        ("admin", "bed", 302),
    ],
)
def test_writes_on_shelters_are_refused_to_readers_and_strangers(
    personas, world, persona, page, expected
):
    stay, shelter, beds = world["stay"], world["shelter"], world["beds"]
    room = Room.objects.get(shelter=shelter, name="102")
    posts = {
        "stay_move": (f"/counselling/stays/{stay.pk}/move/", {"move-bed": beds["b"].pk}),
        "stay_discharge": (
            f"/counselling/stays/{stay.pk}/discharge/",
            {"discharge-discharged_on": timezone.localdate(), "discharge-destination": "home"},
        ),
        "hold": (f"/counselling/shelters/beds/{beds['b'].pk}/hold/", {}),
        "service": (
            f"/counselling/shelters/beds/{beds['b'].pk}/service/",
            {"service-out_of_service": "on"},
        ),
        "room": (f"/counselling/shelters/{shelter.pk}/rooms/", {"room-name": "103"}),
        "bed": (
            f"/counselling/shelters/{shelter.pk}/beds/",
            {"bed-room": room.pk, "bed-label": "B", "bed-kind": "adult"},
        ),
    }
    if page == "stay_move":
        posts[page][1]["move-moved_on"] = timezone.localdate()
    path, data = posts[page]
    response = verified_client(getattr(personas, persona)).post(path, data)
    assert response.status_code == expected


# --- Admission ------------------------------------------------------------------------------


def test_admission_finds_her_children_then_admits_her_with_them(personas, world):
    client = verified_client(personas.shelter_worker_a)
    path = _pages(world)["admit"]
    waiting = world["waiting"]
    child = waiting.client.children.get()
    found = client.post(path, {**_admit_data(waiting), "find": "1"})
    assert found.status_code == 200
    html = found.content.decode()
    assert "An (2)" in html and f'value="{child.pk}"' in html
    assert "Nothing was saved" not in html and not Stay.objects.filter(case=waiting).exists()
    response = client.post(path, {**_admit_data(waiting), "children": [child.pk]})
    stay = Stay.objects.get(case=waiting)
    assert response.status_code == 302
    assert response["Location"] == f"/counselling/stays/{stay.pk}/"
    assert stay.bed == world["beds"]["b"] and list(stay.children.all()) == [child]
    assert stay.children_count == 1
    assert stay.expected_leave_on == stay.admitted_on + timedelta(days=90)


def test_admission_page_prefills_the_case_a_bed_is_held_for(personas, world):
    ss.bed_hold(actor=personas.shelter_worker_a, bed=world["beds"]["b"], case=world["waiting"])
    html = verified_client(personas.shelter_worker_a).get(_pages(world)["admit"]).content.decode()
    assert f'value="{world["waiting"].client.case_code}"' in html


@pytest.mark.parametrize(
    "problem", ["out_of_service", "occupied", "children_count", "unknown_code", "other_branch"]
)
def test_bad_admissions_show_the_form_again_and_save_nothing(personas, world, make_case, problem):
    beds, waiting = world["beds"], world["waiting"]
    path = _pages(world)["admit"]
    data = _admit_data(waiting)
    expected = {
        "out_of_service": "out of service",
        "occupied": "taken",
        "children_count": "children on record",
        "unknown_code": "No open case you can see has this case code.",
        "other_branch": "No open case you can see has this case code.",
    }[problem]
    if problem == "out_of_service":
        ss.bed_set_out_of_service(actor=personas.admin, bed=beds["b"], out_of_service=True)
    elif problem == "occupied":
        path = f"/counselling/shelters/beds/{beds['a'].pk}/admit/"
    elif problem == "children_count":
        data["children_count"] = 2  # one child on record
    elif problem == "unknown_code":
        data["case_code"] = "SEO-1999-9999"
    elif problem == "other_branch":
        data = _admit_data(make_case(actor=personas.counsellor_b))
    before = Stay.objects.count()
    response = verified_client(personas.shelter_worker_a).post(
        path, data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert expected in html
    assert Stay.objects.count() == before


# --- The board -----------------------------------------------------------------------------


def test_board_shows_beds_counts_and_case_codes_never_names(personas, world):
    worker = personas.shelter_worker_a
    beds = world["beds"]
    ss.bed_hold(actor=worker, bed=beds["b"], case=world["waiting"], note="police referral")
    ss.bed_set_out_of_service(actor=worker, bed=beds["c"], out_of_service=True)
    response = verified_client(worker).get(_pages(world)["board"], HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    stay = world["stay"]
    assert world["staying"].client.case_code in html
    assert f'href="/counselling/stays/{stay.pk}/"' in html
    assert world["waiting"].client.case_code in html  # whom the bed is held for
    assert "held until" in html and "police referral" in html
    for name in (NAME_ORIGINAL, NAME_ROMANISED, "Nguyen Thi Hoa", "Linh"):
        assert name not in html
    counts = re.search(r'aria-label="Beds by state">(.*?)</div>', html, re.S).group(1)
    numbers = re.findall(r"<strong>(\d+)</strong>", counts)
    assert numbers == ["1", "1", "1", "1"]  # free (the cot), held, occupied, out of service
    assert "Arrivals this week" in html and "Occupancy by month" in html


def test_leaves_due_this_week_with_the_overdue_highlighted(personas, world, make_case):
    stay = world["stay"]
    ss.stay_update(
        actor=personas.shelter_worker_a,
        stay=stay,
        expected_leave_on=timezone.localdate() - timedelta(days=1),
    )
    html = verified_client(personas.shelter_worker_a).get(_pages(world)["board"]).content.decode()
    section = html.split('id="leaves"')[1].split("</section>")[0]
    assert world["staying"].client.case_code in section
    assert 'class="table-danger"' in section


def test_holds_release_and_out_of_service_from_the_board(personas, world):
    client = verified_client(personas.shelter_worker_a)
    bed = world["beds"]["b"]
    response = client.post(
        f"/counselling/shelters/beds/{bed.pk}/hold/",
        {f"hold-{bed.pk}-case_code": world["waiting"].client.case_code, f"hold-{bed.pk}-note": ""},
    )
    assert response.status_code == 302
    hold = BedHold.objects.get(bed=bed, released_at__isnull=True)
    assert hold.case == world["waiting"]
    assert client.post(f"/counselling/shelters/holds/{hold.pk}/release/").status_code == 302
    hold.refresh_from_db()
    assert hold.released_at is not None
    service = f"/counselling/shelters/beds/{bed.pk}/service/"
    assert client.post(service, {"service-out_of_service": "on"}).status_code == 302
    bed.refresh_from_db()
    assert bed.out_of_service
    assert client.post(service, {}).status_code == 302
    bed.refresh_from_db()
    assert not bed.out_of_service


@pytest.mark.parametrize("problem", ["hold_unknown_code", "hold_occupied", "service_occupied"])
def test_bad_board_actions_show_the_board_again_with_the_error(personas, world, problem):
    beds = world["beds"]
    client = verified_client(personas.shelter_worker_a)
    if problem == "hold_unknown_code":
        path = f"/counselling/shelters/beds/{beds['b'].pk}/hold/"
        data = {f"hold-{beds['b'].pk}-case_code": "NOPE-1"}
        expected = "No open case you can see has this case code."
    elif problem == "hold_occupied":
        path = f"/counselling/shelters/beds/{beds['a'].pk}/hold/"
        data = {}
        expected = "This bed is taken on that date."
    else:
        path = f"/counselling/shelters/beds/{beds['a'].pk}/service/"
        data = {"service-out_of_service": "on"}
        expected = "Someone sleeps in this bed; move her first."
    response = client.post(path, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html and expected in html
    assert not BedHold.objects.exists()
    beds["a"].refresh_from_db()
    assert not beds["a"].out_of_service


def test_managers_add_rooms_and_beds(personas, world):
    client = verified_client(personas.manager_a)
    shelter = world["shelter"]
    assert (
        client.post(f"/counselling/shelters/{shelter.pk}/rooms/", {"room-name": "201"}).status_code
        == 302
    )
    room = Room.objects.get(shelter=shelter, name="201")
    response = client.post(
        f"/counselling/shelters/{shelter.pk}/beds/",
        {"bed-room": room.pk, "bed-label": "A", "bed-kind": "cot"},
    )
    assert response.status_code == 302
    assert room.beds.get().kind == "cot"
    twice = client.post(
        f"/counselling/shelters/{shelter.pk}/rooms/",
        {"room-name": "201"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert twice.status_code == 200 and "Nothing was saved" in twice.content.decode()
    assert Room.objects.filter(shelter=shelter, name="201").count() == 1


def test_managers_add_shelters_of_their_branches_only(personas, world, branch_b):
    client = verified_client(personas.manager_a)
    data = {"shelter-name": "Second home", "shelter-max_stay_days": 60, "shelter-hold_hours": 3}
    response = client.post("/counselling/shelters/", {**data, "shelter-branch": branch_b.pk})
    assert response.status_code == 200  # not one of her branches
    response = client.post(
        "/counselling/shelters/", {**data, "shelter-branch": world["shelter"].branch_id}
    )
    assert response.status_code == 302
    refused = verified_client(personas.shelter_worker_a).post(
        "/counselling/shelters/", {**data, "shelter-branch": world["shelter"].branch_id}
    )
    assert refused.status_code == 403


# --- The stay page ------------------------------------------------------------------------


def test_stay_page_shows_her_code_beds_and_children(personas, world):
    stay = world["stay"]
    services_child = world["staying"].client.children.first()
    stay.children.add(services_child)
    html = verified_client(personas.shelter_worker_a).get(_pages(world)["stay"]).content.decode()
    assert world["staying"].client.case_code in html
    assert f'href="/counselling/cases/{world["staying"].pk}/"' in html
    assert "101-A" in html and services_child.first_name in html
    assert NAME_ROMANISED not in html


def test_move_change_leave_date_and_discharge(personas, world):
    client = verified_client(personas.shelter_worker_a)
    stay = world["stay"]
    today = timezone.localdate()
    moved = client.post(
        f"/counselling/stays/{stay.pk}/move/",
        {"move-bed": world["beds"]["c"].pk, "move-moved_on": today},
    )
    assert moved.status_code == 302
    stay.refresh_from_db()
    assert stay.bed == world["beds"]["c"]
    assert [o.bed_id for o in stay.occupancies.all()] == [world["beds"]["a"].pk, stay.bed_id]
    leave = today + timedelta(days=30)
    response = client.post(
        f"/counselling/stays/{stay.pk}/expected-leave/", {"leave-expected_leave_on": leave}
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.expected_leave_on == leave
    response = client.post(
        f"/counselling/stays/{stay.pk}/discharge/",
        {
            "discharge-discharged_on": today,
            "discharge-destination": "independent",
            "discharge-notes": "Moved to a rented room.",
        },
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.discharged_on == today and stay.destination == "independent"
    page = client.get(f"/counselling/stays/{stay.pk}/").content.decode()
    assert "/discharge/" not in page  # no more changes on an ended stay


@pytest.mark.parametrize("problem", ["before_admission", "future", "no_destination", "leave_early"])
def test_bad_stay_changes_show_the_page_again_and_save_nothing(personas, world, problem):
    stay = world["stay"]
    today = timezone.localdate()
    if problem == "leave_early":
        path = f"/counselling/stays/{stay.pk}/expected-leave/"
        data = {"leave-expected_leave_on": stay.admitted_on - timedelta(days=1)}
        expected = "The expected leave date is before admission."
    else:
        path = f"/counselling/stays/{stay.pk}/discharge/"
        when = {
            "before_admission": stay.admitted_on - timedelta(days=1),
            "future": today + timedelta(days=1),
            "no_destination": today,
        }[problem]
        data = {"discharge-discharged_on": when, "discharge-destination": "home"}
        if problem == "no_destination":
            data["discharge-destination"] = ""
        expected = {
            "before_admission": "Discharge cannot be before admission.",
            "future": "Discharge cannot be in the future.",
            "no_destination": "This field is required.",
        }[problem]
    response = verified_client(personas.shelter_worker_a).post(
        path, data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html and expected in html
    before = Stay.objects.get(pk=stay.pk)
    assert before.discharged_on is None and before.expected_leave_on == stay.expected_leave_on


# --- Programmes -------------------------------------------------------------------------------


def test_volunteer_takes_the_register_of_her_programme(personas, world):
    enrolment, past = world["enrolment"], world["past"]
    client = verified_client(personas.volunteer)
    page = client.get(_pages(world)["programme"]).content.decode()
    assert f"/counselling/programmes/classes/{past.pk}/attendance/" in page
    assert f"/counselling/programmes/classes/{world['future'].pk}/attendance/" not in page
    response = client.post(
        f"/counselling/programmes/classes/{past.pk}/attendance/",
        {f"register-{past.pk}-present": [enrolment.pk]},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(enrolment=enrolment, session=past).present


def test_facilitator_sees_case_codes_only(personas, world):
    html = verified_client(personas.volunteer).get(_pages(world)["programme"]).content.decode()
    assert world["staying"].client.case_code in html
    assert NAME_ROMANISED not in html and NAME_ORIGINAL not in html
    assert "/counselling/clients/" not in html and "/counselling/cases/" not in html
    assert 'name="enrol-case_code"' not in html  # she cannot look clients up


def test_attendance_for_a_class_in_the_future_is_refused(personas, world):
    future = world["future"]
    response = verified_client(personas.volunteer).post(
        f"/counselling/programmes/classes/{future.pk}/attendance/",
        {f"register-{future.pk}-present": [world["enrolment"].pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html and "This class has not happened yet." in html
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("volunteer", 302), ("manager_a", 302), ("counsellor_a", 403), ("counsellor_b", 404)],
)
def test_who_may_take_the_register(personas, world, persona, expected):
    past = world["past"]
    response = verified_client(getattr(personas, persona)).post(
        f"/counselling/programmes/classes/{past.pk}/attendance/",
        {f"register-{past.pk}-present": [world["enrolment"].pk]},
    )
    assert response.status_code == expected
    assert Attendance.objects.exists() == (expected == 302)


def test_programmes_are_created_by_managers_only(personas, branch_a):
    data = {
        "programme-branch": branch_a.pk,
        "programme-title_ko": "리더십 교육",
        "programme-title_en": "Leadership training",
        "programme-kind": "leadership",
        "programme-facilitator": personas.volunteer.pk,
        "programme-language": "ko",
        "programme-interpreter_available": "on",
        "programme-completion_threshold": 75,
        "programme-starts_on": timezone.localdate(),
    }
    for persona in ("counsellor_a", "volunteer", "shelter_worker_a"):
        response = verified_client(getattr(personas, persona)).post(
            "/counselling/programmes/", data
        )
        assert response.status_code == 403
    assert not Programme.objects.exists()
    response = verified_client(personas.manager_a).post("/counselling/programmes/", data)
    programme = Programme.objects.get()
    assert response["Location"] == f"/counselling/programmes/{programme.pk}/"
    assert programme.facilitator == personas.volunteer and programme.interpreter_available
    bad = verified_client(personas.manager_a).post(
        "/counselling/programmes/",
        {**data, "programme-ends_on": timezone.localdate() - timedelta(days=1)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 200
    assert "A programme cannot end before it starts." in bad.content.decode()
    assert Programme.objects.count() == 1


def test_classes_enrolments_and_withdrawal(personas, world, make_case):
    programme = world["programme"]
    volunteer = verified_client(personas.volunteer)
    base = f"/counselling/programmes/{programme.pk}"
    response = volunteer.post(
        f"{base}/classes/",
        {"session-starts_at": "2030-03-01T10:00", "session-topic": "Greetings"},
    )
    assert response.status_code == 302
    assert ClassSession.objects.filter(programme=programme, topic="Greetings").exists()
    response = volunteer.post(
        f"{base}/enrolments/", {"enrol-member_name": "Sokha", "enrol-member_contact": "010-1"}
    )
    assert response.status_code == 302
    member = Enrolment.objects.get(programme=programme, client__isnull=True)
    assert member.member_name == "Sokha"
    # The facilitator cannot enrol a client: she sees none.
    other = make_case()
    refused = volunteer.post(f"{base}/enrolments/", {"enrol-case_code": other.client.case_code})
    assert refused.status_code == 200
    assert not Enrolment.objects.filter(client=other.client).exists()
    manager = verified_client(personas.manager_a)
    response = manager.post(f"{base}/enrolments/", {"enrol-case_code": other.client.case_code})
    assert response.status_code == 302
    assert Enrolment.objects.filter(client=other.client, programme=programme).exists()
    again = manager.post(
        f"{base}/enrolments/",
        {"enrol-case_code": other.client.case_code},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 200
    assert "She is already enrolled in this programme." in again.content.decode()
    response = volunteer.post(f"/counselling/programmes/enrolments/{member.pk}/withdraw/")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "withdrawn"


# --- Audit and exports -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "object_type", "key"),
    [
        ("board", "counselling.shelter", "shelter"),
        ("stay", "counselling.stay", "stay"),
        ("programme", "counselling.programme", "programme"),
        ("print", "counselling.programme", "programme"),
    ],
)
def test_detail_pages_are_audited_reads(personas, world, page, object_type, key):
    user = personas.manager_a
    assert verified_client(user).get(_pages(world)[page]).status_code == 200
    assert AuditEvent.objects.filter(
        action="read", actor=user, object_type=object_type, object_id=str(world[key].pk)
    ).exists()


def _with_attendance(personas, world):
    past = world["past"]
    member = ps.enrol(
        actor=personas.volunteer,
        programme=world["programme"],
        member_name='=HYPERLINK("http://x")',
        member_contact="010-2",
    )
    ps.attendance_record(
        actor=personas.volunteer,
        session=past,
        present={world["enrolment"].pk: True, member.pk: False},
    )
    return member


def test_csv_export_is_right_and_audited(personas, world):
    _with_attendance(personas, world)
    user = personas.volunteer
    response = verified_client(user).get(_pages(world)["csv"], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.streaming
    body = content_of(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    past = timezone.localtime(world["past"].starts_at).strftime("%Y-%m-%d %H:%M")
    future = timezone.localtime(world["future"].starts_at).strftime("%Y-%m-%d %H:%M")
    assert rows[0] == ["participant", "kind", "status", past, future, "attended", "attendance (%)"]
    code = world["staying"].client.case_code
    assert rows[1] == [code, "client", "Completed", "present", "", "1", "50"]  # threshold 50%
    assert rows[2] == [
        '\'=HYPERLINK("http://x")',
        "community member",
        "Enrolled",
        "absent",
        "",
        "0",
        "0",
    ]
    assert NAME_ROMANISED not in body
    assert (
        AuditEvent.objects.filter(
            action="export",
            actor=user,
            object_type="counselling.programme",
            object_id=str(world["programme"].pk),
        ).count()
        == 1
    )


def test_xlsx_export_is_right_and_audited(personas, world):
    _with_attendance(personas, world)
    user = personas.manager_a
    response = verified_client(user).get(_pages(world)["xlsx"], HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(content_of(response))).active
    rows = [
        ["" if value is None else value for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert rows[0][:3] == ["participant", "kind", "status"]
    code = world["staying"].client.case_code
    assert rows[1] == [code, "client", "Completed", "present", "", 1, 50]
    assert rows[2][0] == '\'=HYPERLINK("http://x")'
    assert sheet.cell(row=3, column=1).data_type == "s"  # text, not a formula
    assert (
        AuditEvent.objects.filter(
            action="export", actor=user, object_type="counselling.programme"
        ).count()
        == 1
    )


def test_print_view_has_a_print_button(personas, world):
    html = verified_client(personas.volunteer).get(_pages(world)["print"]).content.decode()
    assert "data-print" in html and world["staying"].client.case_code in html


# --- Query counts -----------------------------------------------------------------------------


def _queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_board_runs_a_constant_number_of_queries(personas, shelter, make_case):
    admin, worker = personas.admin, personas.shelter_worker_a
    room = ss.room_create(actor=admin, shelter=shelter, name="201")
    beds = list(shelter.test_beds.values()) + [
        ss.bed_create(actor=admin, room=room, label=str(n)) for n in range(6)
    ]
    earlier = timezone.localdate() - timedelta(days=40)

    def admit(bed):
        case = make_case(name_romanised="Secret Name")
        ss.stay_admit(actor=worker, case=case, bed=bed, admitted_on=earlier)

    for bed in beds[:2]:
        admit(bed)
    client = verified_client(worker)
    path = f"/counselling/shelters/{shelter.pk}/"
    client.get(path)  # warm up
    few = _queries(client, path)
    for bed in beds[2:]:
        admit(bed)
    assert Stay.objects.count() == 10
    many = _queries(client, path)
    assert few == many
    assert "Secret Name" not in client.get(path).content.decode()


def test_programme_list_runs_a_constant_number_of_queries(personas, branch_a, make_case):
    manager = personas.manager_a
    client_case = make_case()

    def create(n):
        programme = ps.programme_create(
            actor=manager,
            branch=branch_a,
            title_ko=f"과정 {n}",
            title_en=f"Course {n}",
            kind="culture",
            facilitator=personas.volunteer,
            language="vi",
            starts_on=timezone.localdate(),
        )
        ps.class_session_add(actor=manager, programme=programme, starts_at=timezone.now())
        ps.enrol(actor=manager, programme=programme, client=client_case.client)
        ps.enrol(actor=manager, programme=programme, member_name=f"Member {n}")

    for n in range(2):
        create(n)
    client = verified_client(manager)
    path = "/counselling/programmes/"
    client.get(path)
    few = _queries(client, path)
    for n in range(2, 10):
        create(n)
    many = _queries(client, path)
    assert few == many
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Course 9" in html


# --- Markup ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("manager_a", "shelters"),
        ("manager_a", "board"),
        ("manager_a", "stay"),
        ("manager_a", "admit"),
        ("manager_a", "programmes"),
        ("manager_a", "programme"),
        ("volunteer", "programme"),
        ("manager_a", "print"),
    ],
)
def test_pages_have_no_inline_script_or_style(personas, world, persona, page):
    ss.bed_hold(actor=personas.admin, bed=world["beds"]["c"])
    response = verified_client(getattr(personas, persona)).get(_pages(world)[page])
    assert response.status_code == 200
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, f"inline script on {page}: {tag}"
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_screens_are_korean_by_default(personas, world):
    client = verified_client(personas.shelter_worker_a)
    board = client.get(_pages(world)["board"]).content.decode()
    assert '<html lang="ko">' in board
    assert "이번 주 입소" in board and "빈 침대" in board and "월별 입소율" in board
    assert "Arrivals this week" not in board
    manager = verified_client(personas.manager_a)
    programme = manager.get(_pages(world)["programme"]).content.decode()
    assert "출석 체크" in programme and "역량강화 프로그램" in programme
