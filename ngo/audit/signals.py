"""Sign-in events become audit events (no e-mail address or password stored), and
migrate ends by granting the runtime database role its rights."""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connections
from django.dispatch import receiver

from ngo.audit.models import AuditAction, AuditEvent, AuditSeal
from ngo.audit.services import audit_record
from ngo.lib import db_roles

logger = logging.getLogger("ngo.audit")


def _account_for(username: str | None):
    if not username:
        return None
    return get_user_model().objects.filter(email__iexact=username).first()


@receiver(user_logged_in, dispatch_uid="audit_login")
def _on_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, actor=user, obj=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    account = _account_for(credentials.get("username") or credentials.get("email"))
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        obj=account,
        reason="password" if account else "unknown_account",
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _on_locked_out(sender, request, username, ip_address, **kwargs):
    account = _account_for(username)
    audit_record(action=AuditAction.LOCKED_OUT, obj=account, reason="too_many_failures")


def grant_runtime_role(sender, using, **kwargs):
    """After migrate (as the owner), give the runtime role its rights: read and
    write everywhere but on the audit tables, where it may only read and insert."""
    connection = connections[using]
    if not settings.RUNTIME_DB_ROLE or connection.vendor != "postgresql":
        return
    db_roles.grant_runtime_privileges(
        connection,
        role=settings.RUNTIME_DB_ROLE,
        insert_only=[AuditEvent._meta.db_table, AuditSeal._meta.db_table],
    )
    logger.info("granted the runtime role %s its privileges", settings.RUNTIME_DB_ROLE)
