"""Writes on branches and staff accounts. Every one is atomic and audited."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ngo.accounts.middleware import two_factor_waived
from ngo.accounts.models import (
    ApiToken,
    AuthenticatorDevice,
    Branch,
    RecoveryCode,
    RecoveryCodeDevice,
    User,
    recovery_code_digest,
)
from ngo.accounts.roles import Role
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.changes import apply_changes

BRANCH_FIELDS = (
    "code",
    "name_ko",
    "name_en",
    "is_head_office",
    "region",
    "address_ko",
    "address_en",
    "phone",
    "is_active",
    "closure_needs_approval",
    "high_risk_plan_needs_approval",
)
STAFF_FIELDS = ("email", "full_name", "role", "is_active", "preferred_language")


def _validated(instance, exclude=()) -> None:
    instance.full_clean(exclude=list(exclude))


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None


@transaction.atomic
def branch_create(*, actor: User, **values) -> Branch:
    branch = Branch(**{k: v for k, v in values.items() if k in BRANCH_FIELDS})
    _validated(branch)
    branch.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=branch,
        branch=branch,
        fields=[k for k in values if k in BRANCH_FIELDS],
    )
    return branch


@transaction.atomic
def branch_update(*, actor: User, branch: Branch, **values) -> Branch:
    changed = apply_changes(branch, values, BRANCH_FIELDS)
    if changed:
        audit_record(
            action=AuditAction.UPDATE, actor=actor, obj=branch, branch=branch, fields=changed
        )
    return branch


def _sync_role(user: User) -> None:
    """Group membership and Django-admin access follow the role."""
    user.groups.set([Group.objects.get(name=user.role)])


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    branches: Iterable[Branch] = (),
    password: str | None = None,
    preferred_language: str = "ko",
    is_demo: bool = False,
) -> User:
    user = User(
        email=(email or "").strip().lower(),
        full_name=full_name,
        role=role,
        preferred_language=preferred_language,
        is_staff=role == Role.ADMINISTRATOR,
        is_demo=is_demo,
    )
    _validated(user, exclude=["password"])
    if password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.branches.set(branches)
    _sync_role(user)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=user,
        fields=["email", "full_name", "role", "branches"],
    )
    return user


@transaction.atomic
def staff_update(
    *,
    actor: User,
    staff: User,
    branches: Iterable[Branch] | None = None,
    password: str | None = None,
    **values,
) -> User:
    """Change an account; a new password, if given, is validated before anything is saved."""
    if password:
        _check_password(password, staff)
    changed = [k for k in STAFF_FIELDS if k in values and getattr(staff, k) != values[k]]
    if staff.pk == actor.pk and ("role" in changed or values.get("is_active") is False):
        raise ValidationError(_("You cannot change your own role or deactivate yourself."))
    for name in changed:
        setattr(staff, name, values[name])
    if "email" in changed:
        staff.email = staff.email.strip().lower()
    staff.is_staff = staff.role == Role.ADMINISTRATOR
    _validated(staff, exclude=["password"])
    staff.save()
    if branches is not None:
        new_ids = {b.pk for b in branches}
        if new_ids != set(staff.branches.values_list("id", flat=True)):
            staff.branches.set(new_ids)
            changed.append("branches")
    if "role" in changed:
        _sync_role(staff)
    if password:
        staff.set_password(password)
        staff.save(update_fields=["password"])
        changed.append("password")
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=staff, fields=changed)
    return staff


@transaction.atomic
def staff_set_password(*, actor: User, staff: User, password: str) -> None:
    _check_password(password, staff)
    staff.set_password(password)
    staff.save(update_fields=["password"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=staff, fields=["password"])


@transaction.atomic
def staff_reset_two_factor(*, actor: User, staff: User) -> None:
    """A lost phone: remove her devices, so that she enrols again at next sign-in."""
    AuthenticatorDevice.objects.filter(user=staff).delete()
    RecoveryCodeDevice.objects.filter(user=staff).delete()
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=staff, fields=["two_factor"])
    # Her tokens were verified by the devices just removed.
    api_tokens_revoke_all(actor=actor, user=staff)


# --- Two-factor enrolment ---------------------------------------------------------


def totp_device_pending(*, user: User) -> AuthenticatorDevice:
    """The unconfirmed authenticator of an enrolment in progress (made once)."""
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = AuthenticatorDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: AuthenticatorDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code. Returns new recovery codes,
    or None if the code was wrong."""
    if device.user_id != user.pk or not device.verify_token(token):
        return None
    AuthenticatorDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_regenerate(user=user)
    audit_record(action=AuditAction.UPDATE, actor=user, obj=user, fields=["two_factor"])
    return codes


def _new_recovery_code() -> str:
    # 80 random bits, in the same shape as django-otp's static tokens.
    return secrets.token_hex(8)


@transaction.atomic
def recovery_codes_regenerate(*, user: User, count: int | None = None) -> list[str]:
    """A fresh set of one-time recovery codes (the old ones stop working). Only
    their digests are stored: the returned list is the one chance to show them."""
    count = count or settings.RECOVERY_CODE_COUNT
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.codes.all().delete()
    codes = [_new_recovery_code() for _ in range(count)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(device=device, digest=recovery_code_digest(c)) for c in codes]
    )
    audit_record(action=AuditAction.UPDATE, actor=user, obj=user, fields=["recovery_codes"])
    return codes


# --- API tokens ---------------------------------------------------------------------


class IssuedToken(NamedTuple):
    key: str  # the plain key: shown once, never stored
    token: ApiToken


def _confirmed_device_of(user: User, device):
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device


@transaction.atomic
def issue_api_token(
    *, user: User, name: str, device=None, lifetime: timedelta | None = None
) -> IssuedToken:
    """Issue a named API token for `user` and return its plain key with the record.

    `device` is the django-otp device that verified her session
    (`request.user.otp_device`); a person whose role needs a second factor gets
    no token without one. The token expires after API_TOKEN_HOURS (or `lifetime`).
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script it is for.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": _("Use at most 100 characters for the name.")})
    if not user.is_active:
        raise ValidationError(_("This account is deactivated."))
    device = _confirmed_device_of(user, device)
    if device is None and user.needs_two_factor and not two_factor_waived(user):
        raise ValidationError(_("Confirm your second factor before creating an API token."))
    if ApiToken.objects.filter(user=user, name=name).exists():
        raise ValidationError({"name": _("You already have an API token with this name.")})
    lifetime = lifetime or timedelta(hours=settings.API_TOKEN_HOURS)
    try:
        with transaction.atomic():
            token, key = ApiToken.objects.create(
                user=user,
                expiry=lifetime,
                name=name,
                otp_device_id=device.persistent_id if device is not None else "",
            )
    except IntegrityError:
        raise ValidationError(
            {"name": _("You already have an API token with this name.")}
        ) from None
    audit_record(action=AuditAction.CREATE, actor=user, obj=token, fields=["name", "expiry"])
    return IssuedToken(key=key, token=token)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    audit_record(action=AuditAction.DELETE, actor=actor, obj=token, reason="revoked")
    token.delete()


@transaction.atomic
def api_tokens_revoke_all(*, actor: User, user: User) -> int:
    """Revoke every token of `user`; returns how many there were."""
    tokens = list(ApiToken.objects.select_for_update().filter(user=user))
    for token in tokens:
        audit_record(action=AuditAction.DELETE, actor=actor, obj=token, reason="revoked")
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    return len(tokens)
