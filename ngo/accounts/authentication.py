"""API token authentication: django-rest-knox, with the second factor carried over."""

from __future__ import annotations

import functools
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.middleware import is_verified
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from ngo.accounts.models import ApiToken

# "Last used" is a hint for the owner, not a log: one write a minute is enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`. The request counts as second-factor-verified
    exactly when the token was issued from a verified session and the device that
    verified it still exists (see ApiToken.verifying_device)."""

    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return super().authenticate_credentials(token)

    def validate_user(self, auth_token: ApiToken):
        user, auth_token = super().validate_user(auth_token)
        user.otp_device = auth_token.verifying_device()
        user.is_verified = functools.partial(is_verified, user)
        now = timezone.now()
        if auth_token.last_used is None or now - auth_token.last_used > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used=now)
            auth_token.last_used = now
        return user, auth_token


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI schema: `Authorization: Token <key>`."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
