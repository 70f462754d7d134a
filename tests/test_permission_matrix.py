"""The permission matrix: every screen and API route of the URL configuration,
requested by every role (and an anonymous visitor), on a record of the
persona's own branch and on one of another branch, answers what the route
catalogue (`ngo.access.routes`, declared next to each app's access rules)
says its rule answers.

Reads are GETs. Writes are the harmless request that still goes through the
permission check: an empty form or JSON body, inside a savepoint rolled back
after each request, so that no request changes what the next one sees.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ngo.access import routes
from ngo.tasks import health as worker_heartbeat
from tests.conftest import verified_client
from tests.matrix_world import OWN, build

# The Django admin's own pages are guarded by the admin site as a whole
# (`admin:index` is in the catalogue); its per-model pages are not listed.
ADMIN_PAGES = re.compile(r"^(admin:(?!index$)|/admin/)")
ANONYMOUS = "anonymous"
LOGIN_PATH = resolve_url(settings.LOGIN_URL)
ADMIN_LOGIN_PATH = reverse("admin:login")


def _walk(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            if namespace and inner:
                inner = f"{namespace}:{inner}"
            yield from _walk(pattern, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern):
            kwargs = set(pattern.pattern.regex.groupindex)
            if "format" in kwargs:  # DRF's ".json" twins of the same routes
                continue
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            # A route without a name is known by its address.
            yield (name or "/" + prefix + str(pattern.pattern)), kwargs


ROUTES = {key: kwargs for key, kwargs in _walk() if not ADMIN_PAGES.match(key)}


def test_every_route_has_an_entry_in_the_catalogue():
    catalogue = routes.catalogue()
    missing = sorted(key for key in ROUTES if key not in catalogue)
    assert not missing, (
        "These routes have no entry in the route catalogue (ngo.access.routes, registered "
        "from the app's access_rules.py), so nothing says who may open them: " + ", ".join(missing)
    )
    stale = sorted(key for key in catalogue if key not in ROUTES)
    assert not stale, "The catalogue lists routes that no longer exist: " + ", ".join(stale)


def test_a_route_with_a_record_in_its_address_names_the_record():
    unnamed = sorted(
        key
        for key, kwargs in ROUTES.items()
        if kwargs & {"pk", "policy_pk"} and routes.catalogue()[key].record is None
    )
    assert not unnamed, "Routes whose address names a record, without it: " + ", ".join(unnamed)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The records and signed-in sessions, made once for the module and
    rolled back at its end."""
    var = tmp_path_factory.mktemp("matrix")
    overrides = override_settings(
        VAR_DIR=var,
        PRIVATE_MEDIA_ROOT=var / "private",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), overrides, transaction.atomic():
        made = build()
        made["sessions"] = {
            name: verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
            for name, user in made["users"].items()
        }
        yield made
        transaction.set_rollback(True)


def _client(world, persona) -> Client:
    client = Client(raise_request_exception=False)
    if persona != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][persona]
    return client


# A form whose fields are fetched on their own: one of each page's.
FORMS = {"counselling:case_form": "assign", "counselling:client_form": "case"}


def _kwargs(names: set[str], obj, key: str) -> dict:
    values = {}
    for name in names:
        if name == "pk":
            values[name] = obj.pk
        elif name == "policy_pk":
            values[name] = getattr(obj, "policy_id", obj.pk)
        elif name == "item_id":
            values[name] = obj.items.first().pk
        elif name == "file_format":
            values[name] = "csv"
        elif name == "form":
            values[name] = FORMS[key]
        else:
            raise AssertionError(f"No value for the address argument {name}.")
    return values


def _seen(client, response, method: str):
    """The response in the catalogue's words."""
    status = response.status_code
    location = response.get("Location", "")
    if status == 302 and location.startswith(ADMIN_LOGIN_PATH):
        # The admin's sign-in page answers for the admin (404 to a signed-in
        # person without admin access).
        return _seen(client, client.get(location), "GET")
    if status in (301, 302) and location.startswith(LOGIN_PATH + "?next="):
        return routes.LOGIN
    # A write the permission check let through may still be refused for its
    # body (400), for the record's state (409: nothing to cancel) or for the
    # version it did not send (428: If-Match is checked after the access rules).
    if status < 400 or (status in (400, 409, 428) and method != "GET"):
        return routes.OK
    return status


def _request(client, method: str, url: str, api: bool):
    call = getattr(client, method.lower())
    if method in ("GET", "DELETE"):
        return call(url)
    if api and method != "POST":
        return call(url, {}, content_type="application/json")
    return call(url, {})  # an empty form, which every POST endpoint parses


@pytest.mark.parametrize("key", sorted(ROUTES))
def test_the_route_answers_each_role_as_its_rule_says(world, key, db):
    route = routes.catalogue().get(key)
    assert route is not None, f"{key} has no entry in the route catalogue."
    worker_heartbeat()  # a worker is alive, as in production (the health route asks)
    kwargs = ROUTES[key]
    sides = {OWN: None}
    if route.record is not None:
        sides = world["records"][route.record.__name__]
    methods = sorted({"GET", *route.methods})
    # Open routes answer alike whoever asks.
    personas = [ANONYMOUS] if route.public else [ANONYMOUS, *world["users"]]
    wrong = []
    for persona in personas:
        user = world["users"].get(persona)
        # Refused at the gate, she is refused whatever the record.
        refused = user is None or not route.gate.allows(user)
        for side, obj in list(sides.items())[: 1 if refused else None]:
            url = reverse(key, kwargs=_kwargs(kwargs, obj, key))
            for method in methods:
                expected = route.answer(user, obj, method)
                client = _client(world, persona)
                with transaction.atomic():
                    seen = _seen(client, _request(client, method, url, route.api), method)
                    transaction.set_rollback(True)
                if seen != expected:
                    wrong.append(f"{persona} {method} {url} ({side}): {seen}, expected {expected}")
    assert not wrong, f"{key} answers otherwise than its rule:\n" + "\n".join(wrong)
