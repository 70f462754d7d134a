"""Session limits and the second-factor requirement."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

LOGIN_AT = "hamkke_login_at"
LAST_SEEN = "hamkke_last_seen"
# The last request is written to the session once a minute at most, not on every
# request (the idle limit is measured to the minute; a page costs no write).
LAST_SEEN_STEP = 60

# Paths a signed-in person may reach before her second factor (the health
# endpoints answer everyone alike and show no data).
_OPEN_PREFIXES = (
    "/static/",
    "/i18n/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/api/",
    "/health/",
)


def two_factor_waived(user) -> bool:
    """Demo accounts skip the second factor, only in demo mode (never in production)."""
    return settings.DEMO_MODE and user.is_demo


def needs_second_factor(request) -> bool:
    user = request.user
    if not user.is_authenticated or not user.needs_two_factor:
        return False
    if two_factor_waived(user):
        return False
    return not user.is_verified()


@receiver(user_logged_in, dispatch_uid="session_limits_start")
def _start_the_clocks(sender, request, user, **kwargs):
    """Both clocks start at sign-in, in the session row that sign-in writes anyway,
    so that the first page after it costs no second write."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now


class SessionLimitsMiddleware:
    """Signs a person out after 30 idle minutes or 12 hours in all (server side:
    the session row is deleted, so a copied cookie is worthless too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.setdefault(LOGIN_AT, now)
            last_seen = request.session.get(LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_SECONDS
            too_long = now - login_at > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_long:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(
                    f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}"
                )
            if LAST_SEEN not in request.session or now - last_seen >= LAST_SEEN_STEP:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request) and not request.path.startswith(_OPEN_PREFIXES):
            target = reverse("accounts:two_factor")
            next_url = request.get_full_path()
            if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                target = f"{target}?{urlencode({'next': next_url})}"
            return redirect(target)
        return self.get_response(request)
