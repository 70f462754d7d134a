"""The hotline API through HTTP: the phone-number guard and its confirmation
flag, the branch rule (404 elsewhere), ETag and If-Match, filters, linking
and a constant query count on the list."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counselling.hotline import services
from counselling.hotline.identifiers import PHONE_WARNING
from counselling.hotline.models import HotlineCall
from tests.conftest import verified_client

API = "/api/v1/hotline-calls/"


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def call_a(personas, branch_a):
    return services.call_record(
        actor=personas.counsellor_a,
        branch=branch_a,
        started_at=at(date(2025, 3, 4)),
        topics=["domestic_violence"],
        language="vi",
    )


def test_create_refuses_a_phone_number_without_the_flag(personas):
    client = verified_client(personas.counsellor_a)
    body = {"topics": ["labour"], "advice": "her mobile 010 3333 4444", "risk": "some"}
    refused = client.post(API, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"]["advice"] == [str(PHONE_WARNING)]
    assert not HotlineCall.objects.exists()
    created = client.post(
        API, {**body, "confirm_no_identifier": True}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["topics"] == ["labour"] and data["branch"] == "SEO" and data["case"] is None
    assert created["ETag"] == '"1"'
    assert "name" not in data and "phone" not in data


def test_create_refuses_bad_input_with_messages(personas):
    client = verified_client(personas.counsellor_a)
    response = client.post(
        API,
        {"topics": ["weather"], "duration_minutes": 0, "risk": "huge", "language": "xx"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"topics", "duration_minutes", "risk"}


@pytest.mark.parametrize(
    ("persona", "status"),
    [("counsellor_a", 200), ("manager_a", 200), ("counsellor_b", 404), ("coordinator", 404)],
)
def test_a_call_is_read_at_its_branch_only(call_a, personas, persona, status):
    response = verified_client(getattr(personas, persona)).get(f"{API}{call_a.pk}/")
    assert response.status_code == status


def test_read_only_staff_cannot_create(personas):
    response = verified_client(personas.shelter_worker_a).post(
        API, {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_patch_honours_if_match_and_the_flag(call_a, personas):
    client = verified_client(personas.counsellor_a)
    url = f"{API}{call_a.pk}/"
    assert client.get(url)["ETag"] == '"1"'
    stale = client.patch(
        url, {"duration_minutes": 9}, content_type="application/json", HTTP_IF_MATCH='"7"'
    )
    assert stale.status_code == 412
    refused = client.patch(
        url, {"advice": "+82-10-1111-2222"}, content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert refused.status_code == 400
    saved = client.patch(
        url,
        {"advice": "+82-10-1111-2222 (the embassy)", "confirm_no_identifier": True},
        content_type="application/json",
        HTTP_IF_MATCH='"1"',
    )
    assert saved.status_code == 200 and saved["ETag"] == '"2"'


def test_link_and_unlink_through_the_api(call_a, make_case, personas):
    client = verified_client(personas.counsellor_a)
    case = make_case()
    other = make_case(actor=personas.counsellor_b)
    assert (
        client.post(
            f"{API}{call_a.pk}/link/", {"case": other.pk}, content_type="application/json"
        ).status_code
        == 404
    )
    linked = client.post(
        f"{API}{call_a.pk}/link/", {"case": case.pk}, content_type="application/json"
    )
    assert linked.status_code == 200 and linked.json()["case"] == case.pk
    assert client.get(f"{API}?linked=true").json()["count"] == 1
    assert client.post(f"{API}{call_a.pk}/unlink/").json()["case"] is None
    assert client.post(f"{API}{call_a.pk}/unlink/").status_code == 400


def test_filters_and_constant_queries(personas, branch_a):
    client = verified_client(personas.counsellor_a)
    for i in range(2):
        services.call_record(
            actor=personas.counsellor_a,
            branch=branch_a,
            started_at=at(date(2025, 6, 1 + i)),
            topics=["health"],
            wants_to_come_in="yes",
        )
    with CaptureQueriesContext(connection) as few:
        assert client.get(API).json()["count"] == 2
    for i in range(5):
        services.call_record(
            actor=personas.counsellor_a,
            branch=branch_a,
            started_at=at(date(2025, 7, 1 + i)),
            topics=["labour"],
            risk="immediate",
            language="km",
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(API).json()["count"] == 7
    assert len(many) == len(few)
    assert client.get(f"{API}?topic=health").json()["count"] == 2
    assert client.get(f"{API}?risk=immediate&language=km").json()["count"] == 5
    assert client.get(f"{API}?wants_to_come_in=yes").json()["count"] == 2
    assert client.get(f"{API}?date_from=2025-07-02&date_until=2025-07-03").json()["count"] == 2
    assert client.get(f"{API}?date_from=soon").status_code == 400
    assert client.get(f"{API}?topic=weather").status_code == 400
