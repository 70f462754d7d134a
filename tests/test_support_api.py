"""The services-given API through HTTP: scoped lists and 404 elsewhere, bad
input as 400, ETag and If-Match, filters and a constant query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counselling.support import services
from counselling.support.models import ServiceGiven
from tests.conftest import verified_client

API = "/api/v1/services-given/"


@pytest.fixture
def case_a(make_case):
    return make_case()


def test_create_read_patch_cancel(case_a, personas, organisations):
    client = verified_client(personas.counsellor_a)
    created = client.post(
        API,
        {
            "case": case_a.pk,
            "kind": "medical",
            "organisation": organisations["hospital"].pk,
            "given_on": "2025-04-02",
            "cost_krw": 85000,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["provider"] == "Seoul Medical Centre" and created["ETag"] == '"1"'
    url = f"{API}{data['id']}/"
    stale = client.patch(url, {"cost_krw": 1}, content_type="application/json", HTTP_IF_MATCH='"4"')
    assert stale.status_code == 412
    saved = client.patch(
        url, {"cost_krw": 90000}, content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert saved.status_code == 200 and saved.json()["cost_krw"] == 90000
    cancelled = client.post(f"{url}cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.post(f"{url}cancel/").status_code == 400


def test_bad_input_is_a_400_that_saves_nothing(case_a, personas):
    client = verified_client(personas.counsellor_a)
    response = client.post(
        API,
        {"case": case_a.pk, "kind": "magic", "cost_krw": -1, "given_on": "someday"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) >= {"kind", "cost_krw", "given_on"}
    both = client.post(
        API,
        {
            "case": case_a.pk,
            "kind": "medical",
            "given_on": "2025-04-02",
            "given_until": "2025-04-01",
        },
        content_type="application/json",
    )
    assert both.status_code == 400
    unknown = client.post(
        API,
        {"case": case_a.pk, "kind": "medical", "organisation": 999999},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert not ServiceGiven.objects.exists()


def test_another_branch_gets_404(case_a, personas):
    service = services.service_add(actor=personas.counsellor_a, case=case_a, kind="childcare")
    other = verified_client(personas.counsellor_b)
    assert other.get(f"{API}{service.pk}/").status_code == 404
    assert other.get(API).json()["count"] == 0
    assert (
        other.post(
            API, {"case": case_a.pk, "kind": "medical"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert verified_client(personas.coordinator).get(f"{API}{service.pk}/").status_code == 404


def test_filters_and_constant_queries(make_case, personas, organisations):
    client = verified_client(personas.counsellor_a)
    first, second = make_case(), make_case()

    def add(case, n, **values):
        for i in range(n):
            services.service_add(
                actor=personas.counsellor_a, case=case, given_on=date(2025, 3, 1 + i), **values
            )

    add(first, 2, kind="medical", organisation=organisations["hospital"], cost_krw=10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(API).json()["count"] == 2
    add(second, 5, kind="legal_aid", status="planned", provider_name="Lawyer")
    with CaptureQueriesContext(connection) as many:
        assert client.get(API).json()["count"] == 7
    assert len(many) == len(few)
    assert client.get(f"{API}?case={second.pk}").json()["count"] == 5
    assert client.get(f"{API}?kind=medical").json()["count"] == 2
    assert client.get(f"{API}?status=planned").json()["count"] == 5
    assert client.get(f"{API}?organisation={organisations['hospital'].pk}").json()["count"] == 2
    assert client.get(f"{API}?date_from=2025-03-02&date_until=2025-03-03").json()["count"] == 3
    assert client.get(f"{API}?kind=magic").status_code == 400
    assert client.get(f"{API}?case=abc").status_code == 400
