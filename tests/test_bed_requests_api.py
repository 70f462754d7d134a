"""Bed requests across branches through the REST API: a counsellor of Busan asks
Seoul's shelter for beds, the shelter's staff accept or decline, the requester
cancels; the same refusals as the screen, the same access rules, and nothing
about the women already in the shelter."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counselling import services
from counselling.shelters import bed_requests
from counselling.shelters import services as ss
from counselling.shelters.models import BedHold, BedRequest
from ngo.audit.models import AuditEvent
from tests.conftest import verified_client

# A Monday noon in Seoul: holds of two hours lapse the same day.
NOON = datetime(2027, 5, 10, 12, 0, tzinfo=ZoneInfo("Asia/Seoul"))
URL = "/api/v1/bed-requests/"
REASON = "Her husband found the flat."


@pytest.fixture(autouse=True)
def _english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    translation.activate("en")


@pytest.fixture(autouse=True)
def _noon():
    with time_machine.travel(NOON, tick=True):
        yield


@pytest.fixture
def world(personas, shelter, make_case):
    """Seoul's shelter: a woman of Seoul in 101-A, her child in the only cot; a
    Busan case with two children."""
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


def _body(world, **values):
    return {
        "case": world["busan"].pk,
        "shelter": world["shelter"].pk,
        "adult_beds": 1,
        "from_date": str(timezone.localdate()),
        "urgency": "tonight",
        "reason": REASON,
        **values,
    }


def _ask(world, actor, case=None):
    return bed_requests.bed_request_create(
        actor=actor,
        case=case or world["busan"],
        shelter=world["shelter"],
        from_date=timezone.localdate(),
        reason=REASON,
        urgency="tonight",
    )


def _secrets(world) -> list[str]:
    """What nobody asking for beds may learn of the women already there."""
    stay = world["stay"]
    return [stay.client.case_code, "Tran Thi Mai", "Linh", "비공개 주소"]


def _fields(response) -> dict:
    return response.json()["error"]["fields"]


# --- Asking -----------------------------------------------------------------------------------


def test_a_busan_counsellor_asks_seoul_and_both_sides_list_it(world, personas):
    counsellor = verified_client(personas.counsellor_b)
    response = counsellor.post(URL, _body(world), content_type="application/json")
    assert response.status_code == 201, response.content
    made = BedRequest.objects.get()
    data = response.json()
    assert data["id"] == made.pk
    assert (data["status"], data["reason"], data["case_branch"], data["shelter_branch"]) == (
        "pending",
        REASON,
        "BUS",
        "SEO",
    )
    assert data["case_code"] == world["busan"].client.case_code
    assert (made.requested_by, made.adult_beds, made.cots) == (personas.counsellor_b, 1, 0)
    assert AuditEvent.objects.filter(
        object_type="shelters.bedrequest", object_id=str(made.pk), action="create"
    ).exists()

    worker = verified_client(personas.shelter_worker_a)
    ids = {
        (who, direction): [
            r["id"] for r in client.get(f"{URL}?direction={direction}").json()["results"]
        ]
        for who, client in (("worker", worker), ("counsellor", counsellor))
        for direction in ("incoming", "outgoing")
    }
    assert ids == {
        ("worker", "incoming"): [made.pk],
        ("worker", "outgoing"): [],
        ("counsellor", "incoming"): [],
        ("counsellor", "outgoing"): [made.pk],
    }
    assert worker.get(f"{URL}?status=declined").json()["results"] == []
    assert worker.get(f"{URL}?case={world['busan'].pk}&status=pending").json()["count"] == 1
    assert worker.get(f"{URL}{made.pk}/").json()["reason"] == REASON


def test_a_cot_for_each_child_named(world, personas):
    ss.stay_discharge(actor=personas.shelter_worker_a, stay=world["stay"], destination="home")
    response = verified_client(personas.counsellor_b).post(
        URL,
        _body(world, adult_beds=0, children=[world["kids"][0].pk]),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["children"] == [world["kids"][0].pk]
    assert BedRequest.objects.get().cots == 1


def test_refused_requests_answer_400_with_the_message_and_save_nothing(world, personas):
    counsellor = verified_client(personas.counsellor_b)
    yesterday = timezone.localdate() - timedelta(days=1)
    other_child = world["stay"].children.first().pk
    cases = [
        ({"from_date": str(yesterday)}, "from_date", "The date is in the past."),
        ({"adult_beds": 3}, "adult_beds", "The shelter has 2 free adult beds on that date."),
        ({"children": [world["kids"][0].pk]}, "children", "The shelter has 0 free cots"),
        ({"children": [other_child]}, "children", "Those are not her children."),
        ({"adult_beds": 0}, "adult_beds", "Ask for at least one bed or cot."),
        ({"reason": ""}, "reason", "This field may not be blank."),
        ({"shelter": 10**9}, "shelter", "No open shelter has this id."),
    ]
    for values, field, message in cases:
        response = counsellor.post(URL, _body(world, **values), content_type="application/json")
        assert response.status_code == 400, (values, response.content)
        assert message in " ".join(_fields(response)[field]), (values, response.json())
    assert not BedRequest.objects.exists()


def test_a_second_pending_request_at_the_same_shelter_is_refused(world, personas):
    first = _ask(world, personas.counsellor_b)
    response = verified_client(personas.counsellor_b).post(
        URL, _body(world), content_type="application/json"
    )
    assert response.status_code == 400
    assert _fields(response)["case"] == ["This case already has a pending request at this shelter."]
    assert list(BedRequest.objects.all()) == [first]


def test_a_closed_case_asks_for_nothing(world, personas):
    services.case_change_status(
        actor=personas.counsellor_b, case=world["busan"], to="closed", closure_reason="resolved"
    )
    response = verified_client(personas.counsellor_b).post(
        URL, _body(world), content_type="application/json"
    )
    assert response.status_code == 400
    assert _fields(response)["case"] == ["This case is closed. Reopen it first."]
    assert not BedRequest.objects.exists()


def test_only_a_counsellor_of_the_case_asks(world, personas):
    body = _body(world)
    # Seoul's counsellor does not see the Busan case; the shelter worker asks for nobody.
    seoul = verified_client(personas.counsellor_a).post(URL, body, content_type="application/json")
    assert seoul.status_code == 404
    worker = verified_client(personas.shelter_worker_a)
    assert worker.post(URL, body, content_type="application/json").status_code == 403
    officer = verified_client(personas.policy_officer)
    assert officer.post(URL, body, content_type="application/json").status_code == 403
    assert not BedRequest.objects.exists()


# --- Answering ----------------------------------------------------------------------------------


def test_the_shelter_accepts_and_holds_the_beds_named(world, personas):
    made = _ask(world, personas.counsellor_b)
    url = f"{URL}{made.pk}/accept/"
    bed = world["beds"]["b"]
    # The requester does not decide; Seoul's counsellor does not even see it.
    assert verified_client(personas.counsellor_b).post(url, {"beds": [bed.pk]}).status_code == 403
    assert verified_client(personas.counsellor_a).post(url, {"beds": [bed.pk]}).status_code == 404
    assert not BedHold.objects.filter(request=made).exists()

    worker = verified_client(personas.shelter_worker_a)
    wrong = [
        ({"beds": []}, "beds", "Ensure this field has at least 1 elements."),
        ({"beds": [bed.pk, bed.pk]}, "beds", "Choose each bed once."),
        ({"beds": [10**9]}, "beds", "Choose beds of this shelter."),
        ({"beds": [world["beds"]["cot"].pk]}, "beds", "Choose 1 adult beds and 0 cots."),
        ({"beds": [world["beds"]["a"].pk]}, "beds", "This bed is taken on that date."),
    ]
    for body, field, message in wrong:
        response = worker.post(url, body, content_type="application/json")
        assert response.status_code == 400, (body, response.content)
        assert message in " ".join(_fields(response)[field]), (body, response.json())
    assert not BedHold.objects.filter(request=made).exists()

    response = worker.post(url, {"beds": [bed.pk]}, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "accepted"
    assert [(h["bed"], h["room_name"], h["bed_label"]) for h in data["holds"]] == [
        (bed.pk, "101", "B")
    ]
    hold = BedHold.objects.get(request=made)
    assert (hold.bed, hold.case) == (bed, world["busan"])
    # Decided once: a second answer is refused.
    again = worker.post(f"{URL}{made.pk}/decline/", {"reason": "No."})
    assert again.status_code == 400
    assert "This request is already Accepted." in str(again.json())
    # The requester reads the outcome.
    seen = verified_client(personas.counsellor_b).get(f"{URL}{made.pk}/").json()
    assert seen["status"] == "accepted" and seen["holds"][0]["bed"] == bed.pk


def test_the_shelter_declines_with_a_reason_and_the_requester_reads_it(world, personas):
    made = _ask(world, personas.counsellor_b)
    url = f"{URL}{made.pk}/decline/"
    worker = verified_client(personas.shelter_worker_a)
    missing = worker.post(url, {}, content_type="application/json")
    assert missing.status_code == 400 and "This field is required." in _fields(missing)["reason"]
    blank = worker.post(url, {"reason": " "}, content_type="application/json")
    assert blank.status_code == 400 and "reason" in _fields(blank)
    refused = verified_client(personas.counsellor_b).post(url, {"reason": "Mine."})
    assert refused.status_code == 403
    made.refresh_from_db()
    assert made.status == "pending"

    response = worker.post(url, {"reason": "We cannot keep her safe here."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    seen = verified_client(personas.counsellor_b).get(f"{URL}{made.pk}/").json()
    assert (seen["status"], seen["decline_reason"]) == ("declined", "We cannot keep her safe here.")
    assert seen["decided_by"]["id"] == personas.shelter_worker_a.pk


def test_the_requester_cancels_and_the_shelter_cannot(world, personas):
    made = _ask(world, personas.counsellor_b)
    url = f"{URL}{made.pk}/cancel/"
    assert verified_client(personas.shelter_worker_a).post(url).status_code == 403
    assert verified_client(personas.counsellor_a).post(url).status_code == 404
    made.refresh_from_db()
    assert made.status == "pending"
    counsellor = verified_client(personas.counsellor_b)
    response = counsellor.post(url)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = counsellor.post(url)
    assert again.status_code == 400
    assert "This request is already Cancelled." in str(again.json())


# --- Who reads what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "detail"),
    [
        ("counsellor_a", 404),  # Seoul's counsellor: another case, another branch's request
        ("policy_officer", 403),
        ("coordinator", 403),
    ],
)
def test_those_who_may_not_read_the_request_do_not_see_it_or_its_reason(
    world, personas, persona, detail
):
    made = _ask(world, personas.counsellor_b)
    client = verified_client(getattr(personas, persona))
    listing = client.get(URL)
    assert listing.status_code == (200 if detail == 404 else 403)
    one = client.get(f"{URL}{made.pk}/")
    assert one.status_code == detail
    for response in (listing, one):
        assert REASON not in response.content.decode()
        assert world["busan"].client.case_code not in response.content.decode()
    if detail == 404:
        assert listing.json()["results"] == []


def test_no_occupant_data_in_any_answer(world, personas):
    made = _ask(world, personas.counsellor_b)
    worker = verified_client(personas.shelter_worker_a)
    counsellor = verified_client(personas.counsellor_b)
    accepted = worker.post(
        f"{URL}{made.pk}/accept/",
        {"beds": [world["beds"]["b"].pk]},
        content_type="application/json",
    )
    assert accepted.status_code == 200
    answers = [
        accepted,
        worker.get(URL),
        worker.get(f"{URL}{made.pk}/"),
        counsellor.get(URL),
        counsellor.get(f"{URL}{made.pk}/"),
    ]
    for response in answers:
        assert response.status_code == 200
        body = response.content.decode()
        for secret in _secrets(world):
            assert secret not in body, secret
        assert '"stay"' not in body and f'"case":{world["stay"].case_id},' not in body


def test_the_list_costs_the_same_queries_for_more_requests(world, personas, make_case):
    worker = verified_client(personas.shelter_worker_a)
    counsellor = verified_client(personas.counsellor_b)
    first = _ask(world, personas.counsellor_b)
    bed_requests.bed_request_accept(
        actor=personas.shelter_worker_a, request=first, beds=[world["beds"]["b"]]
    )

    def count(client):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    count(worker)
    before = (count(worker)[0], count(counsellor)[0])
    for n in range(3):
        case = make_case(actor=personas.counsellor_b, name_romanised=f"Other {n}")
        services.child_add(actor=personas.counsellor_b, client=case.client, first_name="K", age=3)
        made = _ask(world, personas.counsellor_b, case=case)
        if n == 0:
            bed_requests.bed_request_decline(
                actor=personas.shelter_worker_a, request=made, reason="Full."
            )
    after = (count(worker), count(counsellor))
    assert [n for _, n in after] == [4, 4]
    assert (after[0][0], after[1][0]) == before
