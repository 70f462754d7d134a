"""Sign-in events become audit events (no e-mail address or password stored)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record


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
