"""Sign-in, lockout, second factor, sessions and passwords."""

import time

import pytest
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp

from ngo.accounts.middleware import LAST_SEEN, LOGIN_AT
from ngo.accounts.models import AuthenticatorDevice, RecoveryCode, User
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, verified_client

LOGIN = "/accounts/login/"
DASHBOARD = "/accounts/dashboard/"


def _post_login(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def _current_code(device: AuthenticatorDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


# --- Lockout -----------------------------------------------------------------


def test_five_failures_lock_the_account_for_thirty_minutes(personas, settings):
    client = Client()
    email = personas.counsellor_a.email
    for _ in range(4):
        response = _post_login(client, email, "wrong password 123")
        assert response.status_code == 200
        assert "not correct" in response.content.decode() or "올바르지" in response.content.decode()
    response = _post_login(client, email, "wrong password 123")
    assert response.status_code == 429
    # Even the right password is refused while locked.
    response = _post_login(client, email, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60

    failed = AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, object_id=str(personas.counsellor_a.pk)
    )
    assert failed.count() >= 5
    assert AuditEvent.objects.filter(
        action=AuditAction.LOCKED_OUT, object_id=str(personas.counsellor_a.pk)
    ).exists()


def test_failed_login_audit_holds_no_email_or_password(personas):
    _post_login(Client(), "nobody@example.org", "guessing password 1")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    stored = " ".join(str(v) for v in event.__dict__.values())
    assert "nobody@example.org" not in stored
    assert "guessing" not in stored
    assert event.reason == "unknown_account"


def test_successful_login_is_audited(personas):
    client = Client()
    response = _post_login(client, personas.volunteer.email, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=personas.volunteer).exists()


# --- Second factor -------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["counsellor_a", "manager_a", "shelter_worker_a", "admin", "auditor"],
)
def test_roles_that_read_case_data_must_pass_a_second_factor(personas, persona):
    user = getattr(personas, persona)
    client = Client()
    assert _post_login(client, user.email, PASSWORD).status_code == 302
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    # The API refuses an unverified session too.
    assert client.get("/api/v1/me/").status_code == 403


@pytest.mark.parametrize("persona", ["volunteer", "coordinator", "policy_officer"])
def test_roles_without_case_data_need_no_second_factor(personas, persona):
    user = getattr(personas, persona)
    client = Client()
    _post_login(client, user.email, PASSWORD)
    assert client.get(DASHBOARD).status_code == 200


def test_first_login_enrols_an_authenticator_and_gives_recovery_codes(personas, settings):
    # A wrong code throttles the device (1 s, then 2 s, 4 s...); no waiting in a test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = personas.counsellor_a
    client = Client()
    _post_login(client, user.email, PASSWORD)
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200
    assert b"data:image/svg+xml;base64," in page.content  # QR code, no external request
    device = AuthenticatorDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    assert wrong.status_code == 200
    assert not AuthenticatorDevice.objects.get(pk=device.pk).confirmed

    response = client.post(reverse("accounts:two_factor"), {"token": _current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:recovery_codes")
    codes_page = client.get(reverse("accounts:recovery_codes"))
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert RecoveryCode.objects.filter(device__user=user).count() == 10
    # Shown once only.
    assert client.get(reverse("accounts:recovery_codes")).context["codes"] is None
    assert client.get(DASHBOARD).status_code == 200


def test_recovery_code_signs_in_once(personas):
    from ngo.accounts.services import recovery_codes_regenerate

    user = personas.counsellor_a
    AuthenticatorDevice.objects.create(user=user, name="authenticator", confirmed=True)
    code = recovery_codes_regenerate(user=user)[0]

    first = Client()
    _post_login(first, user.email, PASSWORD)
    assert first.post(reverse("accounts:two_factor"), {"token": code}).status_code == 302
    assert first.get(DASHBOARD).status_code == 200

    second = Client()
    _post_login(second, user.email, PASSWORD)
    response = second.post(reverse("accounts:two_factor"), {"token": code})
    assert response.status_code == 200  # refused, form shown again with an error
    assert response.context["form"].errors["token"]
    assert AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED, reason="second_factor"
    ).exists()


def test_demo_accounts_skip_second_factor_only_in_demo_mode(personas, settings):
    user = personas.counsellor_a
    User.objects.filter(pk=user.pk).update(is_demo=True)
    settings.DEMO_MODE = True
    client = Client()
    _post_login(client, user.email, PASSWORD)
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert "DEMO" in page.content.decode()
    settings.DEMO_MODE = False
    assert client.get(DASHBOARD).status_code == 302


# --- Sessions ---------------------------------------------------------------------


def _age_session(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_idle_for_thirty_minutes_signs_out(personas, settings):
    client = verified_client(personas.volunteer)
    assert client.get(DASHBOARD).status_code == 200
    session_key = client.session.session_key
    _age_session(client, **{LAST_SEEN: settings.SESSION_IDLE_SECONDS + 5})
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=session_key).exists()


def test_pages_read_within_a_minute_write_no_session_row(personas, settings):
    client = verified_client(personas.volunteer)
    assert client.get(DASHBOARD).status_code == 200
    _age_session(client, **{LAST_SEEN: 20})
    written = Session.objects.get(session_key=client.session.session_key).expire_date
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD).status_code == 200
    assert not [
        q
        for q in captured.captured_queries
        if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    ]
    assert Session.objects.get(session_key=client.session.session_key).expire_date == written
    assert client.session[LAST_SEEN] == pytest.approx(time.time() - 20, abs=5)


def test_the_first_page_after_sign_in_writes_no_session_row(personas):
    # Sign-in starts both clocks in the row it writes anyway.
    client = verified_client(personas.volunteer)
    assert client.session[LOGIN_AT] == pytest.approx(time.time(), abs=5)
    assert client.session[LAST_SEEN] == client.session[LOGIN_AT]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD).status_code == 200
    assert not [
        q
        for q in captured.captured_queries
        if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    ]


def test_a_page_read_after_a_minute_moves_the_idle_clock(personas, settings):
    client = verified_client(personas.volunteer)
    assert client.get(DASHBOARD).status_code == 200
    # 29 idle minutes: still signed in, and the clock starts again from now.
    _age_session(client, **{LAST_SEEN: settings.SESSION_IDLE_SECONDS - 60})
    before = Session.objects.get(session_key=client.session.session_key).expire_date
    assert client.get(DASHBOARD).status_code == 200
    assert client.session[LAST_SEEN] == pytest.approx(time.time(), abs=5)
    assert Session.objects.get(session_key=client.session.session_key).expire_date > before


def test_active_but_twelve_hours_old_session_signs_out(personas, settings):
    client = verified_client(personas.volunteer)
    client.get(DASHBOARD)
    _age_session(client, **{LOGIN_AT: settings.SESSION_ABSOLUTE_SECONDS + 5, LAST_SEEN: 10})
    assert client.get(DASHBOARD).status_code == 302


def test_idle_limit_is_thirty_minutes_and_absolute_twelve_hours(settings):
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_logout_invalidates_the_session_on_the_server(personas):
    client = verified_client(personas.volunteer)
    cookie = client.cookies["sessionid"].value
    assert client.get(DASHBOARD).status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    replay = Client()
    replay.cookies["sessionid"] = cookie
    assert replay.get(DASHBOARD).status_code == 302


def test_logout_needs_post(personas):
    client = verified_client(personas.volunteer)
    assert client.get("/accounts/logout/").status_code == 405


# --- Passwords ------------------------------------------------------------------------


def test_short_and_common_passwords_are_refused(personas):
    user = personas.volunteer
    with pytest.raises(ValidationError):
        password_validation.validate_password("short pass1", user)  # 11 characters
    with pytest.raises(ValidationError):
        password_validation.validate_password("password1234", user)
    with pytest.raises(ValidationError):
        password_validation.validate_password("volunteer@example.org", user)


def test_long_korean_passphrase_with_spaces_is_accepted(personas):
    passphrase = (
        "우리는 함께 걷는다 이주여성의 인권을 위하여 "
        "서울 부산 대구 광주 대전 김해 본부 모두 함께 간다 2026년 끝까지"
    )[:64]
    assert len(passphrase) == 64
    user = personas.volunteer
    password_validation.validate_password(passphrase, user)
    user.set_password(passphrase)
    user.save()
    client = Client()
    assert _post_login(client, user.email, passphrase).status_code == 302
    assert client.get(DASHBOARD).status_code == 200


# --- Password hashing -------------------------------------------------------------------


def test_a_pbkdf2_password_is_rehashed_with_argon2_at_sign_in(personas, settings):
    from django.contrib.auth.hashers import make_password

    import ngo.settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = personas.counsellor_a
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    client = Client()
    response = _post_login(client, user.email, PASSWORD)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_new_passwords_are_hashed_with_argon2(personas, settings):
    import ngo.settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = personas.counsellor_a
    user.set_password("a fresh long passphrase")
    assert user.password.startswith("argon2$")
