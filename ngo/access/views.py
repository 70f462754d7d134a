"""Small shared view helpers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from ngo import access
from ngo.access import Need, routes
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.forms import add_service_errors, show_saved_meanwhile
from ngo.lib.versions import StaleVersion


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


def route_gate(name: str, *, area: str, reason: str = "capability"):
    """Signed in and let through by the gate the route catalogue
    (`ngo.access.routes`) gives the route `name`, the very rule the permission
    matrix checks; otherwise the route's refusal (404 or 403), audited."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            route = routes.route(name)
            if not route.gate.allows(request.user):
                audit_record(
                    action=AuditAction.PERMISSION_DENIED,
                    actor=request.user,
                    object_type=area,
                    reason=reason,
                )
                if route.refused == routes.FORBIDDEN:
                    raise PermissionDenied
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


def record_to_write(user, queryset_or_model, pk=None):
    """The record a form screen changes (404 outside her scope, 403 if she may
    only read it; both audited), or None for a new one once she may create
    some (403, audited, otherwise)."""
    if pk is not None:
        return access.get_for_user(user, queryset_or_model, pk, Need.WRITE)
    model = queryset_or_model if isinstance(queryset_or_model, type) else queryset_or_model.model
    access.require_create(user, model)
    return None


def _errors_on_form(form: forms.BaseForm, error: ValidationError, record) -> forms.BaseForm:
    add_service_errors(form, error)
    return form


def show_stale(request, form: forms.BaseForm, stale: StaleVersion) -> forms.BaseForm:
    """Someone saved the record while she was editing it: nothing of hers was
    written. The form comes back with everything she typed, the value saved
    meanwhile under each field where it differs from hers, and the hidden
    version moved to the saved one, so that she can merge and save again.
    Showing the saved values is a read of the record, audited as one."""
    current = type(stale.instance)._base_manager.filter(pk=stale.instance.pk).first()
    if current is None:  # removed meanwhile
        raise Http404
    mine = dict(form.cleaned_data)
    marked = show_saved_meanwhile(form, current, mine)
    form.add_error(
        None,
        _(
            "Someone else saved this record while you were editing it (now version "
            "%(current)s). Nothing of yours is saved yet: what you typed is kept below, "
            "with the version saved meanwhile under each field where it differs. "
            "Merge the two and save again."
        )
        % {"current": current.version},
    )
    audit_record(
        action=AuditAction.READ,
        actor=request.user,
        obj=current,
        fields=marked,
        reason="stale_version",
    )
    return form


def record_form_view(
    request,
    *,
    read: Callable[[], Any],
    bind: Callable[[Any], forms.BaseForm],
    save: Callable[[forms.BaseForm, Any], Any],
    saved: Callable[[Any], HttpResponse],
    page: Callable[[forms.BaseForm, Any], HttpResponse],
    message: str,
    refused: Callable[[forms.BaseForm, ValidationError, Any], forms.BaseForm] = _errors_on_form,
) -> HttpResponse:
    """A screen whose form creates or changes one record, in the steps every such
    screen takes:

    1. `read()` returns the record to change, or None for a new one, after the
       access check (`record_to_write`, a selector's `*_get` with Need.WRITE, or a
       set-up rule); a refusal raises 404 or 403, audited;
    2. `bind(record)` builds the form, bound to the request's data on a POST
       (`request.POST or None`, as Django's forms expect);
    3. a valid POST calls `save(form, record)`, which calls the service and
       returns what it saved;
    4. the service's ValidationError goes onto the form (`add_service_errors`;
       `refused(form, error, record)` returns the form to show when a screen
       answers some refusal otherwise); a StaleVersion (someone saved the
       record since the form's hidden version) shows both versions
       (`show_stale`);
    5. once saved, `message` is flashed and `saved(result)` answers (a redirect);
       otherwise `page(form, record)` shows the page, with the errors if any.

    Worked example (a coalition, new when pk is None)::

        user = request.user
        return record_form_view(
            request,
            read=lambda: record_to_write(user, Coalition, pk),
            bind=lambda coalition: CoalitionForm(request.POST or None, instance=coalition),
            save=lambda form, coalition: (
                services.coalition_update(actor=user, coalition=coalition, **form.cleaned_data)
                if coalition
                else services.coalition_create(actor=user, **form.cleaned_data)
            ),
            saved=lambda coalition: redirect("campaigns:coalition_detail", coalition.pk),
            page=lambda form, coalition: render(request, "campaigns/form.html", {"form": form}),
            message=_("The coalition was saved."),
        )
    """
    record = read()
    form = bind(record)
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form, record)
        except StaleVersion as stale:
            form = show_stale(request, form, stale)
        except ValidationError as error:
            form = refused(form, error, record)
        else:
            messages.success(request, message)
            return saved(result)
    return page(form, record)
