"""Writes on branches and staff accounts. Every one is atomic and audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Role
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.changes import apply_changes

BRANCH_FIELDS = ("code", "name_ko", "name_en", "is_head_office", "region", "is_active")
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
    TOTPDevice.objects.filter(user=staff).delete()
    StaticDevice.objects.filter(user=staff).delete()
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=staff, fields=["two_factor"])


# --- Two-factor enrolment ---------------------------------------------------------


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator of an enrolment in progress (made once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a first code. Returns new recovery codes,
    or None if the code was wrong."""
    if device.user_id != user.pk or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_regenerate(user=user)
    audit_record(action=AuditAction.UPDATE, actor=user, obj=user, fields=["two_factor"])
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, count: int | None = None) -> list[str]:
    from django.conf import settings

    count = count or settings.RECOVERY_CODE_COUNT
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    audit_record(action=AuditAction.UPDATE, actor=user, obj=user, fields=["recovery_codes"])
    return codes


# --- API tokens ---------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """A new API token for her, replacing any she had; returns its key."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(action=AuditAction.CREATE, actor=user, obj=user, fields=["api_token"])
    return token.key


@transaction.atomic
def api_token_revoke(*, user: User) -> None:
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    audit_record(action=AuditAction.DELETE, actor=user, obj=user, fields=["api_token"])
