"""Free beds across branches and the bed requests made from them: the counts,
what the free-beds page and API never show, a request from another branch,
the shelter's answer and her admission, and who may do what."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counselling import services
from counselling.shelters import availability, bed_requests
from counselling.shelters import services as ss
from counselling.shelters.models import BedHold, BedRequest, BedRequestStatus, Stay
from ngo.audit.models import AuditEvent
from tests.conftest import verified_client

# A Monday noon in Seoul: holds of two hours lapse the same day.
NOON = datetime(2027, 5, 10, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
API = "/api/v1"


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages are read in English here (Korean is the default)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    translation.activate("en")


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=True):
        yield


@pytest.fixture
def world(personas, shelter, make_case, branch_a):
    """Seoul's shelter (beds 101-A, 101-B, 101-C1 cot, 102-A): a woman of Seoul in
    101-A with her child in the cot; a Busan case with two children."""
    branch_a.region = "Seoul"
    branch_a.save(update_fields=["region"])
    staying = make_case(name_romanised="Tran Thi Mai")
    child = services.child_add(
        actor=personas.counsellor_a, client=staying.client, first_name="Linh", age=4
    )
    stay = ss.stay_admit(
        actor=personas.shelter_worker_a,
        case=staying,
        bed=shelter.test_beds["a"],
        admitted_on=timezone.localdate() - timedelta(days=3),
        children=[child],
        cots=[shelter.test_beds["cot"]],
    )
    busan = make_case(actor=personas.counsellor_b, name_romanised="Pham Thi Lan")
    kids = [
        services.child_add(actor=personas.counsellor_b, client=busan.client, first_name=n, age=a)
        for n, a in (("Minh", 5), ("An", 2))
    ]
    return {
        "shelter": shelter,
        "beds": shelter.test_beds,
        "stay": stay,
        "busan": busan,
        "kids": kids,
    }


def _ask(world, actor, **values):
    return bed_requests.bed_request_create(
        actor=actor,
        case=values.pop("case", world["busan"]),
        shelter=world["shelter"],
        from_date=values.pop("from_date", timezone.localdate()),
        reason="Her husband found her.",
        urgency="tonight",
        **values,
    )


# --- The counts ---------------------------------------------------------------------------


def test_free_counts_per_day_count_adult_beds_and_cots_apart(world, personas):
    today = timezone.localdate()
    (row,) = availability.free_beds()
    assert (row.name, row.branch_code, row.region) == ("Seoul shelter", "SEO", "Seoul")
    assert [d.day for d in row.days] == [today + timedelta(days=n) for n in range(8)]
    # 101-B and 102-A are free; 101-A is hers and the only cot her child's.
    assert [(d.adult, d.cot) for d in row.days] == [(2, 0)] * 8


def test_a_hold_counts_until_it_lapses_and_out_of_service_beds_are_not_free(world, personas):
    beds = world["beds"]
    ss.bed_hold(actor=personas.shelter_worker_a, bed=beds["b"])  # lapses at 14:00 today
    until = timezone.localdate() + timedelta(days=2)
    ss.bed_update(
        actor=personas.shelter_worker_a,
        bed=beds["c"],
        out_of_service=True,
        out_of_service_until=until,
        out_of_service_note="Broken frame",
    )
    (row,) = availability.free_beds()
    counts = [(d.adult, d.cot) for d in row.days]
    # Today: 101-B held, 102-A out of service. Tomorrow 101-B again; 102-A from day 3.
    assert counts[:4] == [(0, 0), (1, 0), (1, 0), (2, 0)]
    assert counts[4:] == [(2, 0)] * 4


def test_a_discharge_frees_her_bed_and_her_childs_cot(world, personas):
    ss.stay_discharge(actor=personas.shelter_worker_a, stay=world["stay"], destination="home")
    (row,) = availability.free_beds()
    assert (row.days[0].adult, row.days[0].cot) == (3, 1)
    # A closed room frees nothing.
    room = world["beds"]["c"].room
    ss.room_update(actor=personas.manager_a, room=room, out_of_service=True)
    (row,) = availability.free_beds()
    assert (row.days[0].adult, row.days[0].cot) == (2, 1)


# --- What the page and the API show ----------------------------------------------------------


def _secrets(world) -> list[str]:
    stay = world["stay"]
    return [
        stay.client.case_code,
        "Tran Thi Mai",
        "Linh",
        "비공개 주소",  # the shelter's address
        "101-A",
        "101-C1",
    ]


def test_the_free_beds_page_shows_counts_to_a_counsellor_of_another_branch(world, personas):
    page = verified_client(personas.counsellor_b).get("/counselling/shelters/free-beds/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Seoul shelter" in body and "2 / 0" in body
    for secret in _secrets(world):
        assert secret not in body


def test_the_availability_api_shows_counts_only(world, personas):
    api = verified_client(personas.counsellor_b)
    response = api.get(f"{API}/shelters/availability/")
    assert response.status_code == 200, response.content
    (row,) = response.json()
    assert set(row) == {"shelter", "name", "branch", "region", "days"}
    assert row["days"][0] == {"date": str(timezone.localdate()), "adult": 2, "cot": 0}
    for secret in _secrets(world):
        assert secret not in response.content.decode()


@pytest.mark.parametrize("persona", ["policy_officer", "coordinator", "volunteer", "auditor"])
def test_those_who_place_nobody_do_not_see_free_beds(world, personas, persona):
    client = verified_client(getattr(personas, persona))
    assert client.get("/counselling/shelters/free-beds/").status_code == 404
    assert client.get(f"{API}/shelters/availability/").status_code == 403
    assert client.get("/counselling/shelters/requests/new/").status_code == 404


def test_the_free_beds_page_and_api_cost_the_same_queries_for_more_shelters(
    world, personas, branch_b
):
    client = verified_client(personas.counsellor_b)
    client.get("/counselling/shelters/free-beds/")

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = (count("/counselling/shelters/free-beds/"), count(f"{API}/shelters/availability/"))
    for n in range(3):
        other = ss.shelter_create(actor=personas.admin, branch=branch_b, name=f"Busan {n}")
        room = ss.room_create(actor=personas.admin, shelter=other, name="1")
        ss.bed_create(actor=personas.admin, room=room, label="A")
        ss.bed_create(actor=personas.admin, room=room, label="C", kind="cot")
    after = (count("/counselling/shelters/free-beds/"), count(f"{API}/shelters/availability/"))
    assert after == before


# --- Requests -------------------------------------------------------------------------------


def test_a_busan_counsellor_asks_seoul_and_the_shelter_accepts_and_admits_her(world, personas):
    counsellor = verified_client(personas.counsellor_b)
    code = world["busan"].client.case_code
    form = {
        "shelter": world["shelter"].pk,
        "case_code": code,
        "adult_beds": 1,
        "children": [world["kids"][0].pk],
        "from_date": str(timezone.localdate()),
        "urgency": "tonight",
        "reason": "Her husband found the flat.",
    }
    response = counsellor.post("/counselling/shelters/requests/new/", form)
    # No free cot: her child's cot is taken. Nothing saved.
    assert response.status_code == 200
    assert "The shelter has 0 free cots on that date." in response.content.decode()
    assert not BedRequest.objects.exists()
    response = counsellor.post(
        "/counselling/shelters/requests/new/", {**form, "children": []}, follow=True
    )
    made = BedRequest.objects.get()
    assert response.redirect_chain[-1][0] == f"/counselling/shelters/requests/{made.pk}/"
    assert made.reason == "Her husband found the flat." and made.status == "pending"
    assert AuditEvent.objects.filter(object_type="shelters.bedrequest", action="create").exists()

    # Seoul's shelter worker sees it and holds bed 101-B for her.
    worker = verified_client(personas.shelter_worker_a)
    listing = worker.get("/counselling/shelters/requests/").content.decode()
    assert f"/counselling/shelters/requests/{made.pk}/" in listing
    bed = world["beds"]["b"]
    wrong = worker.post(f"/counselling/shelters/requests/{made.pk}/accept/", {"accept-beds": []})
    assert wrong.status_code == 200 and not BedHold.objects.filter(request=made).exists()
    accepted = worker.post(
        f"/counselling/shelters/requests/{made.pk}/accept/", {"accept-beds": [bed.pk]}
    )
    assert accepted.status_code == 302
    made.refresh_from_db()
    hold = BedHold.objects.get(request=made)
    assert (made.status, hold.bed, hold.case) == ("accepted", bed, world["busan"])
    lasts = hold.expires_at - hold.created_at
    assert timedelta(hours=2) - timedelta(seconds=1) < lasts <= timedelta(hours=2)
    # The requester sees the outcome.
    outcome = counsellor.get(f"/counselling/shelters/requests/{made.pk}/").content.decode()
    assert "Accepted" in outcome and "101-B" in outcome

    # The worker admits her, though her case is Busan's: the admission offers her code.
    admit = worker.get(f"/counselling/shelters/beds/{bed.pk}/admit/")
    assert code in admit.content.decode()
    done = worker.post(
        f"/counselling/shelters/beds/{bed.pk}/admit/",
        {"case_code": code, "admitted_on": str(timezone.localdate())},
    )
    assert done.status_code == 302, done.content.decode()
    stay = Stay.objects.get(case=world["busan"])
    assert stay.shelter == world["shelter"] and stay.case.branch.code == "BUS"
    # The stay is the shelter's; Busan still sees its case and the stay of it.
    assert worker.get(f"/counselling/stays/{stay.pk}/").status_code == 200
    assert counsellor.get(f"/counselling/stays/{stay.pk}/").status_code == 200
    assert counsellor.get(f"/counselling/cases/{world['busan'].pk}/").status_code == 200
    assert worker.get(f"/counselling/cases/{world['busan'].pk}/").status_code == 404


def test_the_shelter_declines_with_a_reason_and_the_requester_reads_it(world, personas):
    made = _ask(world, personas.counsellor_b)
    worker = verified_client(personas.shelter_worker_a)
    url = f"/counselling/shelters/requests/{made.pk}/decline/"
    assert "reason" in worker.post(url, {"decline-reason": ""}).content.decode()
    assert BedRequest.objects.get().status == "pending"
    assert worker.post(url, {"decline-reason": "We cannot keep her safe here."}).status_code == 302
    made.refresh_from_db()
    assert made.status == BedRequestStatus.DECLINED and made.decided_by == personas.shelter_worker_a
    page = verified_client(personas.counsellor_b).get(f"/counselling/shelters/requests/{made.pk}/")
    assert "We cannot keep her safe here." in page.content.decode()
    # Decided once.
    again = worker.post(
        f"/counselling/shelters/requests/{made.pk}/accept/",
        {"accept-beds": [world["beds"]["b"].pk]},
    )
    assert "This request is already Declined." in again.content.decode()


def test_the_requester_cannot_decide_and_the_shelter_cannot_cancel(world, personas):
    made = _ask(world, personas.counsellor_b)
    counsellor = verified_client(personas.counsellor_b)
    accept = f"/counselling/shelters/requests/{made.pk}/accept/"
    assert counsellor.post(accept, {"accept-beds": [world["beds"]["b"].pk]}).status_code == 403
    worker = verified_client(personas.shelter_worker_a)
    assert worker.post(f"/counselling/shelters/requests/{made.pk}/cancel/").status_code == 403
    assert counsellor.post(f"/counselling/shelters/requests/{made.pk}/cancel/").status_code == 302
    assert BedRequest.objects.get().status == "cancelled"


@pytest.mark.parametrize("persona", ["policy_officer", "coordinator", "volunteer"])
def test_no_case_workers_see_no_request(world, personas, persona):
    made = _ask(world, personas.counsellor_b)
    client = verified_client(getattr(personas, persona))
    assert client.get(f"/counselling/shelters/requests/{made.pk}/").status_code == 404
    assert client.post(f"/counselling/shelters/requests/{made.pk}/decline/").status_code == 404


def test_a_counsellor_at_the_shelters_branch_does_not_read_the_request(world, personas):
    made = _ask(world, personas.counsellor_b)
    # Counsellor A works at the shelter's branch, but neither runs it nor has the case.
    client = verified_client(personas.counsellor_a)
    assert client.get(f"/counselling/shelters/requests/{made.pk}/").status_code == 404
    url = f"/counselling/shelters/requests/{made.pk}/decline/"
    assert client.post(url, {"decline-reason": "No."}).status_code == 404
    assert made.reason not in client.get("/counselling/shelters/requests/").content.decode()


def test_bad_requests_are_refused_with_a_message_and_nothing_saved(world, personas):
    from django.core.exceptions import ValidationError

    busan = world["busan"]
    cases = [
        ({"from_date": timezone.localdate() - timedelta(days=1)}, "The date is in the past."),
        ({"adult_beds": 3}, "The shelter has 2 free adult beds on that date."),
        ({"adult_beds": 0}, "Ask for at least one bed or cot."),
        ({"children": [world["stay"].children.first()]}, "Those are not her children."),
    ]
    for values, message in cases:
        with pytest.raises(ValidationError) as raised:
            _ask(world, personas.counsellor_b, **values)
        assert message in " ".join(raised.value.messages)
    services.case_change_status(
        actor=personas.counsellor_b, case=busan, to="closed", closure_reason="resolved"
    )
    with pytest.raises(ValidationError, match="This case is closed"):
        _ask(world, personas.counsellor_b)
    assert not BedRequest.objects.exists()


def test_a_held_bed_and_an_out_of_service_bed_cannot_be_given(world, personas):
    from django.core.exceptions import ValidationError

    made = _ask(world, personas.counsellor_b)
    ss.bed_hold(actor=personas.shelter_worker_a, bed=world["beds"]["b"])
    with pytest.raises(ValidationError, match="held for someone else"):
        bed_requests.bed_request_accept(
            actor=personas.shelter_worker_a, request=made, beds=[world["beds"]["b"]]
        )
    ss.bed_update(actor=personas.shelter_worker_a, bed=world["beds"]["c"], out_of_service=True)
    with pytest.raises(ValidationError, match="out of service"):
        bed_requests.bed_request_accept(
            actor=personas.shelter_worker_a, request=made, beds=[world["beds"]["c"]]
        )
    made.refresh_from_db()
    assert made.status == "pending" and not made.holds.exists()


def test_the_request_lists_cost_the_same_queries_for_more_requests(world, personas, make_case):
    worker = verified_client(personas.shelter_worker_a)
    _ask(world, personas.counsellor_b)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert worker.get("/counselling/shelters/requests/").status_code == 200
        return len(queries)

    before = count()
    for _n in range(3):
        _ask(world, personas.counsellor_b, case=make_case(actor=personas.counsellor_b))
    assert count() == before
