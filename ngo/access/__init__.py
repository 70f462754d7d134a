"""The one place that decides who may read or write which record.

Each app registers one rule per record type:

    @access.rule(Case)
    def case_rule(user, need):
        if need is Need.READ and user.can(Capability.READ_CASES):
            return Q(branch__in=user.branch_ids())
        return None  # nothing

A rule returns a Q object describing the records the user may touch for that
need, or None for "none at all". HTML views, API endpoints and exports all go
through `scope()` and `get_for_user()`; a model without a rule raises, so a new
view that forgets its rule fails its tests instead of showing everything.

A record outside the user's read scope answers 404 (its existence does not
leak); a record she may read but not change answers 403. Both are audited as
permission-denied, and a successful detail read is audited as a read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import Http404

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, object_type_of


class Need(StrEnum):
    READ = "read"
    WRITE = "write"


Rule = Callable[..., models.Q | None]
_RULES: dict[type[models.Model], Rule] = {}


class AccessRuleMissing(ImproperlyConfigured):
    pass


def rule(model: type[models.Model]):
    """Register the access rule of `model` (exactly one per model)."""

    def register(func: Rule) -> Rule:
        if model in _RULES and _RULES[model] is not func:
            raise ImproperlyConfigured(f"{model.__name__} already has an access rule.")
        _RULES[model] = func
        return func

    return register


def registered_models() -> list[type[models.Model]]:
    return list(_RULES)


def _rule_for(model: type[models.Model]) -> Rule:
    try:
        return _RULES[model]
    except KeyError:
        raise AccessRuleMissing(f"No access rule registered for {model.__name__}.") from None


def condition(user, model: type[models.Model], need: Need) -> models.Q | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return _rule_for(model)(user, need)


def scope(user, queryset_or_model, need: Need = Need.READ) -> models.QuerySet:
    """The records of this queryset that `user` may read (or write)."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    q = condition(user, queryset.model, need)
    if q is None:
        return queryset.none()
    return queryset.filter(q)


_remembered: ContextVar[dict | None] = ContextVar("hamkke_access_remembered", default=None)


@contextmanager
def remembering() -> Iterator[None]:
    """Within the block, `can()` asks the database once per person, record and
    need. For drawing one page, where nothing is written between two questions
    (the case page asks whether she may write the case in each of its panels)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def can(user, obj: models.Model, need: Need = Need.READ) -> bool:
    known = getattr(obj, "_access_known", None)
    if known is not None and (getattr(user, "pk", None), need) in known:
        return known[(user.pk, need)]
    memo = _remembered.get()
    if memo is None:
        return _can(user, obj, need)
    key = (getattr(user, "pk", None), obj._meta.label, obj.pk, need)
    if key not in memo:
        memo[key] = _can(user, obj, need)
    return memo[key]


def _can(user, obj: models.Model, need: Need) -> bool:
    return scope(user, type(obj)._default_manager.filter(pk=obj.pk), need).exists()


def get_for_user(
    user,
    queryset_or_model,
    pk,
    need: Need = Need.READ,
    *,
    audit_read: bool = True,
    knowing: Need | None = None,
):
    """Fetch one record for `user` or raise Http404 / PermissionDenied.

    For Need.READ a successful fetch writes a read audit event (turn off with
    audit_read=False where the caller audits the read itself, e.g. an update).
    `knowing`: also learn, in the same statement, whether she may do that to the
    record; `can()` then answers it for this record without asking again (a page
    that shows its forms only to those who may write).
    """
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    model = queryset.model
    object_type = object_type_of(model)
    known = condition(user, model, knowing) if knowing is not None else None
    if known is not None:
        same = model._default_manager.filter(known, pk=models.OuterRef("pk"))
        queryset = queryset.annotate(_access_knowing=models.Exists(same))
    try:
        obj = scope(user, queryset, Need.READ).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        _denied(user, object_type, pk, reason="not_in_scope")
        raise Http404 from None
    if knowing is not None:
        obj._access_known = {(user.pk, knowing): bool(getattr(obj, "_access_knowing", False))}
    if need is Need.WRITE and not can(user, obj, Need.WRITE):
        _denied(user, object_type, pk, reason="read_only", obj=obj)
        raise PermissionDenied
    if need is Need.READ and audit_read:
        audit_record(action=AuditAction.READ, actor=user, obj=obj)
    return obj


def _denied(user, object_type: str, pk, *, reason: str, obj=None) -> None:
    audit_record(
        action=AuditAction.PERMISSION_DENIED,
        actor=user,
        obj=obj,
        object_type=object_type,
        object_id=str(pk)[:64] if pk is not None else "",
        reason=reason,
    )


def can_create(user, model: type[models.Model]) -> bool:
    """Whether `user` may write some `model` records (to show a "New" button)."""
    return condition(user, model, Need.WRITE) is not None


def require_create(user, model: type[models.Model]) -> None:
    """Raise PermissionDenied (audited) unless `user` may write some `model` records.

    Record-specific limits (e.g. the target branch) are checked by the service."""
    if not can_create(user, model):
        _denied(user, object_type_of(model), None, reason="create")
        raise PermissionDenied


def refuse(user, obj_or_model, *, reason: str) -> NoReturn:
    """Raise PermissionDenied, audited, for a decision a rule's Q cannot hold
    (who may set records up, say); `obj_or_model` is the record or its model."""
    obj = obj_or_model if isinstance(obj_or_model, models.Model) else None
    object_id = obj.pk if obj is not None else None
    _denied(user, object_type_of(obj_or_model), object_id, reason=reason, obj=obj)
    raise PermissionDenied
