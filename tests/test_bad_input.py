"""Bad input gets a 400 with a message (or the page with the form's error),
never a 500; Redis being down never turns a request into a 500 or a long wait."""

from django.test import Client

from tests.conftest import verified_client


def test_an_odd_next_address_goes_to_the_inbox_or_dashboard_not_an_error(personas):
    client = verified_client(personas.counsellor_a)
    for odd in [
        "id",
        "accounts:dashboard",
        "notifications",
        "//evil.example",
        "https://evil.example/",
    ]:
        response = client.post("/notifications/read/", {"next": odd})
        assert response.status_code == 302, odd
        assert response["Location"] == "/notifications/", odd
    response = client.post("/notifications/read/", {"next": "/notifications/?show=unread"})
    assert response["Location"] == "/notifications/?show=unread"
    # The second-factor page follows `next` the same way.
    response = client.get("/accounts/two-factor/?next=id")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/dashboard/"


def test_a_year_outside_1900_to_2100_is_a_filter_error_not_a_500(policy_world, personas):
    client = verified_client(personas.policy_officer)
    for odd in ["0", "-1", "99999999999", "1.5"]:
        for endpoint in ["recommendations", "submissions"]:
            response = client.get(f"/api/v1/{endpoint}/?year={odd}", HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 400, (endpoint, odd)
            assert response.json()["error"]["fields"]["year"] == [
                "Enter a year between 1900 and 2100."
            ]
            response = client.get(f"/policy/{endpoint}/?year={odd}", HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 200, (endpoint, odd)
            assert "Enter a year between 1900 and 2100." in response.content.decode()
    response = client.get("/api/v1/submissions/?year=0", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.json()["error"]["fields"]["year"] == [
        "1900년부터 2100년 사이의 연도를 입력하세요."
    ]
    assert client.get("/api/v1/recommendations/?year=2024").status_code == 200


def test_json_nested_thousands_deep_or_too_large_is_a_clear_400(personas, settings):
    client = verified_client(personas.admin)
    deep = "[" * 5000 + "]" * 5000
    for user, method, url in [
        (personas.admin, "post", "/api/v1/branches/"),
        (personas.policy_officer, "post", "/api/v1/submissions/"),
        (personas.counsellor_a, "put", "/api/v1/notification-settings/"),
    ]:
        response = getattr(verified_client(user), method)(
            url, deep, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 400, url
        assert response.json()["error"]["message"] == (
            "The JSON is nested too deeply (at most 32 levels)."
        )
    # Brackets inside strings are text, not nesting.
    response = client.post(
        "/api/v1/branches/",
        {"code": "ICN", "name_en": "[" * 40 + '{\\"' * 20, "name_ko": "인천지부"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post(
        "/api/v1/branches/",
        {"code": "GWJ", "name_en": "x" * 2000},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_saving_notification_settings_without_the_e_mail_choice_says_it_is_required(personas):
    client = verified_client(personas.counsellor_a)
    response = client.put(
        "/api/v1/notification-settings/",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["email_mode"] == ["This field is required."]
    response = client.put(
        "/api/v1/notification-settings/", {"email_mode": "never"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "email_mode" in response.json()["error"]["fields"]
    response = client.put(
        "/api/v1/notification-settings/", {"email_mode": "digest"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"email_mode": "digest"}


REDIS_NOBODY_LISTENS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_with_the_cache_down_a_token_is_issued_and_pages_still_open(personas, settings):
    settings.CACHES = REDIS_NOBODY_LISTENS
    client = verified_client(personas.admin)
    response = client.post("/api/v1/auth/token/", {"name": "report script"})
    assert response.status_code == 201, response.content
    assert response.json()["token"]
    # The dashboard asks the cache when a worker last ran.
    response = client.get("/accounts/dashboard/")
    assert response.status_code == 200
    assert response.context["worker_heartbeat"] is None
    # Sign-in counts failures (django-axes) in the database, not the cache.
    response = Client().post(
        "/accounts/login/", {"username": personas.counsellor_a.email, "password": "wrong"}
    )
    assert response.status_code == 200


def test_with_the_broker_down_a_new_dataset_is_recorded_as_waiting(
    personas, make_case, monkeypatch, django_capture_on_commit_callbacks
):
    from celery import current_app
    from django.utils import timezone

    from tests.statistics_world import consent

    for n in range(5):  # enough consenting women for a dataset with k=5
        consent(make_case(name_romanised=f"Waiting {n}"))
    today = timezone.localdate()

    from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset
    from policy_monitor.statistics.services import datasets_waiting

    # The broker and result backend the production settings give, where nobody listens.
    monkeypatch.setitem(current_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(current_app.conf, "result_backend", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(
        current_app.conf,
        "broker_transport_options",
        {"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 2},
    )
    monkeypatch.setattr(current_app, "_pool", None)
    monkeypatch.setattr(current_app.amqp, "_producer_pool", None)
    client = verified_client(personas.policy_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/statistics-datasets/",
            {
                "title": "CEDAW annex",
                "period_from": f"{today:%Y-%m}-01",
                "period_to": f"{today:%Y-%m-%d}",
                "dimensions": ["case_type"],
                "measures": ["clients"],
            },
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    dataset = StatisticsDataset.objects.get(pk=response.json()["id"])
    assert dataset.status == DatasetStatus.QUEUED
    # The periodic scan finds it when the broker is back.
    assert dataset.pk in datasets_waiting()
