"""Small shared view helpers."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404

from ngo import access
from ngo.access import Need
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record


def capability_required(capability: Capability, *, area: str):
    """Signed in and holding `capability`; otherwise 404 (audited), so that a
    person without the right does not learn what lies behind the address."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.can(capability):
                audit_record(
                    action=AuditAction.PERMISSION_DENIED,
                    actor=request.user,
                    object_type=area,
                    reason="capability",
                )
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def readers_of(model, *, area: str):
    """Signed in and given some read scope by `model`'s access rule (the same
    rule the API asks); otherwise 404 (audited), as capability_required."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if access.condition(request.user, model, Need.READ) is None:
                audit_record(
                    action=AuditAction.PERMISSION_DENIED,
                    actor=request.user,
                    object_type=area,
                    reason="not_in_scope",
                )
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def audit_reshown(request, obj) -> None:
    """A form sent back with errors shows the record again: audit that read
    too (a GET is audited by access.get_for_user)."""
    if request.method == "POST":
        audit_record(action=AuditAction.READ, actor=request.user, obj=obj, reason="form_errors")


def top_errors(bound: dict) -> tuple[bool, list]:
    """(any form failed, the failed forms' non-field errors) for the top of a page."""
    failed = [form for form in bound.values() if getattr(form, "has_errors", False)]
    return bool(failed), [error for form in failed for error in form.non_field_errors()]
