"""Korean and English."""

from django.test import Client

from tests.conftest import verified_client


def test_korean_is_the_default_language(db):
    html = Client().get("/accounts/login/").content.decode()
    assert '<html lang="ko">' in html
    assert "로그인" in html
    assert "이메일 주소" in html


def test_english_when_the_browser_asks_for_it(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "로그인" not in html


def test_language_switch_is_remembered(personas):
    client = verified_client(personas.volunteer)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/dashboard/"})
    assert response.status_code == 302
    html = client.get("/accounts/dashboard/").content.decode()
    assert "Sign out" in html
    client.post("/i18n/setlang/", {"language": "ko", "next": "/accounts/dashboard/"})
    assert "로그아웃" in client.get("/accounts/dashboard/").content.decode()


def test_role_names_are_translated(personas):
    html = verified_client(personas.volunteer).get("/accounts/dashboard/").content.decode()
    assert "자원활동가" in html


def test_form_errors_come_in_the_users_language(db):
    ko = Client().post("/accounts/login/", {"username": "not-an-email", "password": ""})
    assert "올바른 이메일" in ko.content.decode() or "유효한 이메일" in ko.content.decode()
    en = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/accounts/login/", {"username": "not-an-email", "password": ""}
    )
    assert "valid email" in en.content.decode().lower()


def test_dates_are_in_seoul_time(settings):
    assert settings.TIME_ZONE == "Asia/Seoul"
    assert settings.USE_TZ is True
