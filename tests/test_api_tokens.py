"""API tokens: hashed at rest, named, expiring, revocable, and only as good as
the second factor of the session that issued them."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from ngo.accounts import services
from ngo.accounts.models import ApiToken, AuthenticatorDevice
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, verified_client

TOKENS = "/api/v1/auth/token/"
PROFILE = "/accounts/profile/"


def _issue(client, name="report script"):
    response = client.post(TOKENS, {"name": name})
    assert response.status_code == 201, response.content
    return response.json()


def _api(key, **extra) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}", **extra)


def _unverified_session(user) -> Client:
    client = Client()
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    return client


# --- Issuing needs a verified second factor --------------------------------------------


def test_api_refuses_a_token_to_a_session_without_second_factor(personas):
    client = _unverified_session(personas.counsellor_a)
    response = client.post(TOKENS, {"name": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "second factor" in response.json()["error"]["message"]
    assert not ApiToken.objects.exists()


def test_screen_refuses_a_token_to_a_session_without_second_factor(personas):
    client = _unverified_session(personas.counsellor_a)
    response = client.post(PROFILE, {"action": "new_token", "name": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/")
    assert not ApiToken.objects.exists()


def test_service_refuses_a_token_without_a_confirmed_device(personas):
    user = personas.counsellor_a
    with pytest.raises(ValidationError):
        services.issue_api_token(user=user, name="x")
    pending = AuthenticatorDevice.objects.create(user=user, name="phone", confirmed=False)
    with pytest.raises(ValidationError):
        services.issue_api_token(user=user, name="x", device=pending)
    other = AuthenticatorDevice.objects.create(user=personas.counsellor_b, name="phone")
    with pytest.raises(ValidationError):
        services.issue_api_token(user=user, name="x", device=other)
    assert not ApiToken.objects.exists()


def test_a_script_gets_a_plain_key_from_the_service(personas):
    user = personas.counsellor_a
    device = AuthenticatorDevice.objects.create(user=user, name="phone", confirmed=True)
    issued = services.issue_api_token(user=user, name="schema check", device=device)
    assert issued.key.startswith("hk_")
    assert issued.token.user == user
    assert _api(issued.key).get("/api/v1/me/").json()["email"] == user.email


# --- Stored hashed, shown once -------------------------------------------------------


def test_the_database_holds_no_key(personas):
    key = _issue(verified_client(personas.counsellor_a))["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    assert all(key not in str(value) for value in rows[0])
    token = ApiToken.objects.get()
    assert len(token.digest) == 128  # SHA-512, hex
    assert key.startswith(token.token_key)  # the lookup prefix, not the key
    assert len(token.token_key) < len(key) // 2


def test_the_key_is_shown_once_on_the_screen(personas):
    client = verified_client(personas.counsellor_a)
    response = client.post(PROFILE, {"action": "new_token", "name": "laptop"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key and key.encode() in response.content
    assert _api(key).get("/api/v1/me/").status_code == 200
    again = client.get(PROFILE)
    assert key.encode() not in again.content
    assert b"laptop" in again.content


# --- Expiry ------------------------------------------------------------------------------


def test_a_token_expires_after_a_working_day(personas, settings):
    assert settings.API_TOKEN_HOURS == 9
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        data = _issue(verified_client(personas.counsellor_a))
    assert ApiToken.objects.get().expiry == now + timedelta(hours=9)
    with time_machine.travel(now + timedelta(hours=8, minutes=59), tick=False):
        assert _api(data["token"]).get("/api/v1/me/").status_code == 200
    with time_machine.travel(now + timedelta(hours=9, minutes=1), tick=False):
        response = _api(data["token"]).get("/api/v1/me/")
        assert response.status_code == 403
        assert not ApiToken.objects.exists()


def test_the_lifetime_follows_the_setting(personas, settings):
    settings.API_TOKEN_HOURS = 2
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        _issue(verified_client(personas.counsellor_a))
    token = ApiToken.objects.get()
    assert token.expiry == now + timedelta(hours=2)
    assert token.expiry == token.created + timedelta(hours=2)


def test_expired_tokens_are_not_listed(personas):
    user = personas.counsellor_a
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        _issue(verified_client(user), "old")
    with time_machine.travel(now + timedelta(hours=5), tick=False):
        _issue(verified_client(user), "new")
    with time_machine.travel(now + timedelta(hours=10), tick=False):
        assert [t["name"] for t in verified_client(user).get(TOKENS).json()] == ["new"]


# --- Several named tokens --------------------------------------------------------------


def test_several_named_tokens_are_listed_with_their_dates(personas):
    client = verified_client(personas.counsellor_a)
    first = _issue(client, "laptop")
    second = _issue(client, "report script")
    assert first["token"] != second["token"]
    assert _api(first["token"]).get("/api/v1/me/").status_code == 200

    listed = _api(second["token"]).get(TOKENS).json()
    assert [t["name"] for t in listed] == ["report script", "laptop"]
    assert set(listed[0]) == {"id", "name", "created", "expires", "last_used"}
    by_name = {t["name"]: t for t in listed}
    assert by_name["laptop"]["last_used"] is not None  # used above
    assert by_name["report script"]["last_used"] is not None  # this request
    # Someone else sees none of them.
    assert verified_client(personas.counsellor_b).get(TOKENS).json() == []


def test_the_profile_lists_the_tokens(personas):
    client = verified_client(personas.counsellor_a)
    _issue(client, "laptop")
    _issue(client, "report script")
    page = client.get(PROFILE)
    assert [t.name for t in page.context["tokens"]] == ["report script", "laptop"]


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "already have an API token"), ("ko", "이미 같은 이름의 API 토큰")],
)
def test_a_name_is_used_once_per_person(personas, language, message):
    client = verified_client(personas.counsellor_a)
    _issue(client, "laptop")
    response = client.post(TOKENS, {"name": "laptop"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ApiToken.objects.count() == 1
    # Someone else may use the same name.
    _issue(verified_client(personas.counsellor_b), "laptop")


@pytest.mark.parametrize(
    ("data", "language", "message"),
    [
        ({}, "en", "Give the token a name"),
        ({"name": "  "}, "ko", "토큰 이름"),
        ({"name": "x" * 101}, "en", "at most 100 characters"),
    ],
)
def test_a_bad_name_is_refused_with_a_clear_message(personas, data, language, message):
    client = verified_client(personas.counsellor_a)
    response = client.post(TOKENS, data, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert message in response.content.decode()
    page = client.post(PROFILE, {"action": "new_token", **data}, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert not ApiToken.objects.exists()


def test_bad_authorization_headers_are_refused_not_crashed(personas):
    for header in (b"Token \xff\xfe".decode("latin-1"), "Token", "Token a b", "Token hk_nonsense"):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/me/")
        assert response.status_code == 403, header


# --- Revoking ----------------------------------------------------------------------------


def test_revoke_one_token(personas):
    client = verified_client(personas.counsellor_a)
    keep = _issue(client, "laptop")
    drop = _issue(client, "report script")
    response = _api(keep["token"]).delete(f"{TOKENS}{drop['id']}/")
    assert response.status_code == 204
    assert _api(drop["token"]).get("/api/v1/me/").status_code == 403
    assert _api(keep["token"]).get("/api/v1/me/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE,
        object_type="accounts.apitoken",
        object_id=str(drop["id"]),
        actor=personas.counsellor_a,
    ).exists()


def test_nobody_revokes_someone_elses_token(personas):
    theirs = _issue(verified_client(personas.counsellor_a))
    for user in (personas.counsellor_b, personas.admin):
        response = verified_client(user).delete(f"{TOKENS}{theirs['id']}/")
        assert response.status_code == 404
        page = verified_client(user).post(
            PROFILE, {"action": "revoke_token", "token": theirs["id"]}
        )
        assert page.status_code == 404
    assert _api(theirs["token"]).get("/api/v1/me/").status_code == 200


def test_revoke_one_on_the_screen(personas):
    client = verified_client(personas.counsellor_a)
    keep = _issue(client, "laptop")
    drop = _issue(client, "report script")
    response = client.post(PROFILE, {"action": "revoke_token", "token": drop["id"]})
    assert response.status_code == 302
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["laptop"]
    assert _api(keep["token"]).get("/api/v1/me/").status_code == 200
    assert client.post(PROFILE, {"action": "revoke_token", "token": "abc"}).status_code == 404


def test_revoke_all_tokens(personas):
    client = verified_client(personas.counsellor_a)
    keys = [_issue(client, name)["token"] for name in ("a", "b", "c")]
    other = _issue(verified_client(personas.counsellor_b))
    assert client.delete(TOKENS).status_code == 204
    for key in keys:
        assert _api(key).get("/api/v1/me/").status_code == 403
    assert _api(other["token"]).get("/api/v1/me/").status_code == 200
    revoked = AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="accounts.apitoken", reason="revoked"
    )
    assert revoked.count() == 3


def test_revoke_all_on_the_screen(personas):
    client = verified_client(personas.counsellor_a)
    _issue(client, "a")
    _issue(client, "b")
    assert client.post(PROFILE, {"action": "revoke_all_tokens"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_issue_is_audited_without_the_key(personas):
    data = _issue(verified_client(personas.counsellor_a))
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="accounts.apitoken")
    assert event.actor == personas.counsellor_a
    assert event.object_id == str(data["id"])
    assert data["token"] not in str(event.__dict__)


# --- Second factor through the token --------------------------------------------------


def test_a_token_without_a_verifying_device_does_not_pass_the_second_factor(personas):
    user = personas.counsellor_a
    _token, key = ApiToken.objects.create(user=user, name="made by hand")
    response = _api(key).get("/api/v1/me/")
    assert response.status_code == 403


def test_a_token_stops_passing_when_its_device_is_gone(personas):
    user = personas.counsellor_a
    key = _issue(verified_client(user))["token"]
    assert _api(key).get("/api/v1/me/").status_code == 200
    AuthenticatorDevice.objects.filter(user=user).delete()
    assert _api(key).get("/api/v1/me/").status_code == 403


def test_resetting_the_second_factor_revokes_her_tokens(personas):
    user = personas.counsellor_a
    key = _issue(verified_client(user))["token"]
    services.staff_reset_two_factor(actor=personas.admin, staff=user)
    assert not ApiToken.objects.filter(user=user).exists()
    assert _api(key).get("/api/v1/me/").status_code == 403


def test_a_deactivated_account_cannot_use_its_token(personas):
    user = personas.counsellor_a
    key = _issue(verified_client(user))["token"]
    services.staff_update(actor=personas.admin, staff=user, is_active=False)
    assert _api(key).get("/api/v1/me/").status_code == 403


def test_a_role_without_second_factor_gets_a_token_without_a_device(personas):
    user = personas.volunteer
    assert not user.needs_two_factor
    key = _issue(verified_client(user))["token"]
    assert _api(key).get("/api/v1/me/").status_code == 200
