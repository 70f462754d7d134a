"""What the counselling viewsets share: the base viewset, filtering and access helpers."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiResponse

from ngo import access
from ngo.access import Need
from ngo.access.viewsets import ScopedReadOnlyViewSet


def _writable(user, model, pk):
    """The parent record (case, client, session) for a write: 404 outside the
    user's scope, 403 if she may only read it; both audited."""
    return access.get_for_user(user, model, pk, Need.WRITE)


def _prefixed(error: DjangoValidationError, prefix: str, names) -> DjangoValidationError:
    """Name a nested object's field errors as the input named them ("case.case_types")."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError(
        {
            (f"{prefix}.{name}" if name in names else name): messages
            for name, messages in error.error_dict.items()
        }
    )


class SelectorFilterBackend(DjangoFilterBackend):
    """For lists whose selector has applied the FilterSet already: describes the
    filters in the schema, filters nothing twice."""

    def filter_queryset(self, request, queryset, view):
        return queryset


def _selected(queryset_and_filterset):
    queryset, filterset = queryset_and_filterset
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return queryset


NO_CONTENT = {204: OpenApiResponse(description="Removed.")}


class RecordViewSet(ScopedReadOnlyViewSet):
    """List (scoped, filtered) and retrieve (audited) of one kind of case record;
    subclasses add the writes their services allow."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def reload(self, obj):
        """The record again, as lists and retrieves show it (joins, annotations)."""
        return self.base_queryset().get(pk=obj.pk)


def _home_branch(user):
    branches = list(user.branches.all()[:2])
    if len(branches) != 1:
        raise DjangoValidationError({"branch": _("Say at which branch she is registered.")})
    return branches[0]
