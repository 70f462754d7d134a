"""The edit screens of shelters, rooms and beds (versioned), beds out of service,
the board on any date, and the cots her children sleep in."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from counselling import services
from counselling.shelters import services as ss
from counselling.shelters.models import Bed, Room, Shelter
from ngo.audit.models import AuditEvent
from tests.conftest import verified_client

API = "/api/v1"


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are read in English here (Korean is the default)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    translation.activate("en")


def _edit(client, url, values):
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(values)
    return client.post(url, {k: v for k, v in data.items() if v is not False})


def test_the_manager_renames_the_shelter_and_gives_it_a_public_name(shelter, personas):
    manager = verified_client(personas.manager_a)
    url = f"/counselling/shelters/{shelter.pk}/edit/"
    response = _edit(manager, url, {"name": "Mapo house", "public_name": "Shelter in Seoul"})
    assert response.status_code == 302, response.content.decode()
    shelter.refresh_from_db()
    assert (shelter.name, shelter.public_name, shelter.version) == (
        "Mapo house",
        "Shelter in Seoul",
        2,
    )
    assert AuditEvent.objects.filter(object_type="counselling.shelter", action="update").exists()
    # Setting up is the manager's: the shelter worker may not, another branch sees nothing.
    assert verified_client(personas.shelter_worker_a).get(url).status_code == 403
    assert verified_client(personas.counsellor_b).get(url).status_code == 404


def test_a_stale_edit_is_refused_and_shows_both_versions(shelter, personas):
    manager = verified_client(personas.manager_a)
    url = f"/counselling/shelters/{shelter.pk}/edit/"
    page = manager.get(url)
    stale = {k: v for k, v in page.context["form"].initial.items() if v not in (None, False)}
    ss.shelter_update(actor=personas.admin, shelter=shelter, name="Renamed meanwhile")
    response = manager.post(url, {**stale, "name": "Mine", "is_active": "on"})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    shelter.refresh_from_db()
    assert shelter.name == "Renamed meanwhile"


def test_the_worker_takes_a_room_out_of_service_and_no_bed_of_it_is_held(shelter, personas):
    worker = verified_client(personas.shelter_worker_a)
    room = shelter.test_beds["c"].room
    url = f"/counselling/shelters/rooms/{room.pk}/edit/"
    response = _edit(worker, url, {"out_of_service": "on", "out_of_service_note": "Damp walls"})
    assert response.status_code == 302
    room.refresh_from_db()
    assert (room.out_of_service, room.out_of_service_note, room.version) == (True, "Damp walls", 2)
    with pytest.raises(ValidationError, match="out of service"):
        ss.bed_hold(actor=personas.shelter_worker_a, bed=shelter.test_beds["c"])
    board = worker.get(f"/counselling/shelters/{shelter.pk}/").context["beds"]
    assert {s.bed.pk: s.status for s in board}[shelter.test_beds["c"].pk] == "out_of_service"


def test_a_bed_out_of_service_until_a_date_cannot_be_held_or_given_till_then(
    shelter, personas, make_case
):
    worker = verified_client(personas.shelter_worker_a)
    bed = shelter.test_beds["b"]
    url = f"/counselling/shelters/beds/{bed.pk}/edit/"
    past = _edit(
        worker,
        url,
        {"out_of_service": "on", "out_of_service_until": str(timezone.localdate() - timedelta(1))},
    )
    assert "The end of the out-of-service period is in the past." in past.content.decode()
    until = timezone.localdate() + timedelta(days=3)
    response = _edit(
        worker,
        url,
        {
            "label": "B2",
            "out_of_service": "on",
            "out_of_service_until": str(until),
            "out_of_service_note": "New mattress coming",
        },
    )
    assert response.status_code == 302
    bed.refresh_from_db()
    assert (bed.label, bed.out_of_service, bed.out_of_service_until, bed.version) == (
        "B2",
        True,
        until,
        2,
    )
    with pytest.raises(ValidationError, match="out of service"):
        ss.bed_hold(actor=personas.shelter_worker_a, bed=bed)
    with pytest.raises(ValidationError, match="out of service"):
        ss.stay_admit(actor=personas.shelter_worker_a, case=make_case(), bed=bed)
    hold = worker.post(f"/counselling/shelters/beds/{bed.pk}/hold/", {f"hold-{bed.pk}-hours": ""})
    assert "This bed is out of service." in hold.content.decode()
    # On the board of the day after, it is free again.
    after = worker.get(f"/counselling/shelters/{shelter.pk}/?on={until + timedelta(days=1)}")
    assert {s.bed.pk: s.status for s in after.context["beds"]}[bed.pk] == "free"


def test_an_occupied_or_held_bed_cannot_go_out_of_service(shelter, personas, make_case):
    ss.stay_admit(actor=personas.shelter_worker_a, case=make_case(), bed=shelter.test_beds["a"])
    ss.bed_hold(actor=personas.shelter_worker_a, bed=shelter.test_beds["b"])
    for key, message in (("a", "Someone sleeps in this bed"), ("b", "This bed is held")):
        with pytest.raises(ValidationError, match=message):
            ss.bed_update(
                actor=personas.shelter_worker_a, bed=shelter.test_beds[key], out_of_service=True
            )
    assert not Bed.objects.filter(out_of_service=True).exists()


def test_the_api_edits_rooms_and_beds_with_if_match(shelter, personas):
    api = verified_client(personas.shelter_worker_a)
    room = shelter.test_beds["a"].room
    got = api.get(f"{API}/rooms/{room.pk}/")
    assert got["ETag"] == '"1"'
    stale = api.patch(
        f"{API}/rooms/{room.pk}/",
        {"name": "201"},
        content_type="application/json",
        HTTP_IF_MATCH='"7"',
    )
    assert stale.status_code == 412
    renamed = api.patch(
        f"{API}/rooms/{room.pk}/",
        {"name": "201", "out_of_service": True},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert renamed.status_code == 200, renamed.content
    assert renamed.json()["name"] == "201" and renamed["ETag"] == '"2"'
    bed = shelter.test_beds["c"]
    response = api.patch(
        f"{API}/beds/{bed.pk}/",
        {"label": "Z", "out_of_service": True, "out_of_service_until": "2001-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "out_of_service_until" in response.json()["error"]["fields"]
    response = api.patch(
        f"{API}/beds/{bed.pk}/",
        {"label": "Z", "out_of_service": True, "out_of_service_note": "Leak"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["out_of_service_note"] == "Leak" and response["ETag"] == '"2"'
    other = verified_client(personas.counsellor_b)
    assert other.patch(
        f"{API}/rooms/{room.pk}/", {"name": "X"}, content_type="application/json"
    ).status_code in (403, 404)
    assert Room.objects.get(pk=room.pk).name == "201"
    shelter_patch = verified_client(personas.manager_a).patch(
        f"{API}/shelters/{shelter.pk}/",
        {"public_name": "A house in Seoul"},
        content_type="application/json",
    )
    assert shelter_patch.status_code == 200 and shelter_patch.json()["public_name"]
    assert Shelter.objects.get().public_name == "A house in Seoul"


# --- The board on any date -------------------------------------------------------------------


def test_the_board_of_another_day_and_a_bad_date(shelter, personas, make_case):
    worker = verified_client(personas.shelter_worker_a)
    today = timezone.localdate()
    ss.stay_admit(
        actor=personas.shelter_worker_a,
        case=make_case(),
        bed=shelter.test_beds["a"],
        admitted_on=today - timedelta(days=2),
    )
    url = f"/counselling/shelters/{shelter.pk}/"
    before = worker.get(f"{url}?on={today - timedelta(days=5)}")
    assert before.status_code == 200 and before.context["on"] == today - timedelta(days=5)
    states = {s.bed.pk: s.status for s in before.context["beds"]}
    assert states[shelter.test_beds["a"].pk] == "free"
    body = before.content.decode()
    assert f"?on={today - timedelta(days=6)}" in body and f"?on={today - timedelta(days=4)}" in body
    assert "Hold the bed" not in body  # holds and admissions are for today
    now = worker.get(url)
    assert {s.bed.pk: s.status for s in now.context["beds"]}[shelter.test_beds["a"].pk] == (
        "occupied"
    )
    for bad, message in (
        ("2027-02-30", "Give the date as YYYY-MM-DD."),
        ("yesterday", "Give the date as YYYY-MM-DD."),
        ("1999-12-31", "Give a date between 2000 and 2100."),
    ):
        response = worker.get(f"{url}?on={bad}")
        assert response.status_code == 200
        assert response.context["on"] == today
        assert message in response.content.decode()


# --- Her children's cots ----------------------------------------------------------------------


def test_the_cot_her_child_sleeps_in_shows_occupied(shelter, personas, make_case):
    """A child's cot showed free while her child slept in it: the admission put the
    children on the stay but no child in a cot, and the board reads occupancies."""
    case = make_case()
    child = services.child_add(actor=personas.counsellor_a, client=case.client, first_name="Bao")
    cot = shelter.test_beds["cot"]
    stay = ss.stay_admit(
        actor=personas.shelter_worker_a,
        case=case,
        bed=shelter.test_beds["a"],
        children=[child],
        cots=[cot],
    )
    worker = verified_client(personas.shelter_worker_a)
    board = worker.get(f"/counselling/shelters/{shelter.pk}/")
    state = {s.bed.pk: s for s in board.context["beds"]}[cot.pk]
    assert (state.status, state.stay, state.occupancy.child) == ("occupied", stay, child)
    assert board.context["counts"]["occupied"] == 2
    # She moves to another bed: her child stays in the cot; discharge frees both.
    ss.stay_move(actor=personas.shelter_worker_a, stay=stay, bed=shelter.test_beds["c"])
    assert stay.occupancies.filter(bed=cot, ends_on__isnull=True).exists()
    ss.stay_discharge(actor=personas.shelter_worker_a, stay=stay, destination="home")
    assert not stay.occupancies.filter(ends_on__isnull=True).exists()
    # A cot for a child not named, or an adult bed as a cot, is refused.
    other = make_case()
    with pytest.raises(ValidationError, match="One cot for each child"):
        ss.stay_admit(actor=personas.shelter_worker_a, case=other, bed=cot, cots=[cot])


def test_the_admission_screen_puts_her_child_in_a_cot(shelter, personas, make_case):
    case = make_case()
    child = services.child_add(actor=personas.counsellor_a, client=case.client, first_name="Bao")
    worker = verified_client(personas.shelter_worker_a)
    bed = shelter.test_beds["b"]
    response = worker.post(
        f"/counselling/shelters/beds/{bed.pk}/admit/",
        {
            "case_code": case.client.case_code,
            "admitted_on": str(timezone.localdate()),
            "children": [child.pk],
            "cots": [shelter.test_beds["cot"].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert shelter.test_beds["cot"].occupancies.get().child == child
