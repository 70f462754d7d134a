from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from ngo.access.api import ScopedViewSetMixin, search_filters


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only viewset whose list and retrieve go through the access module."""


class SelectedRecordViewSet(ScopedReadOnlyViewSet):
    """Lists, retrieves and reloads the records that the app's selector gives for
    the user (`selected`, already scoped to her); subclasses add the writes their
    services allow. Retrieves still go through access.get_for_user (404 or 403,
    audited)."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def selected(self, user):
        raise NotImplementedError

    def base_queryset(self):
        return self.selected(self.request.user)

    def get_queryset(self):
        return self.base_queryset()

    def reload(self, obj):
        """The record again, as lists and retrieves show it (joins, annotations)."""
        return self.base_queryset().get(pk=obj.pk)


class SearchByPostMixin:
    """A list that can be searched by name or phone number: `GET ...?q=` is
    refused with a 400 naming `POST <list>/search/`, which takes the filters as
    a JSON body (the address keeps only page, page_size and ordering)."""

    search_url_name = ""  # the route of the viewset's `search` action

    def list_filters(self):
        return search_filters(self.request, reverse(self.search_url_name))

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        description='The list\'s filters as a JSON object, e.g. {"q": "Nguyen", "branch": "SEO"}.',
    )
    @action(detail=False, methods=["post"])
    def search(self, request):
        return self.list(request)


class SearchFilterBackend(DjangoFilterBackend):
    """django-filter reading the filters of a SearchByPostMixin view."""

    def get_filterset_kwargs(self, request, queryset, view):
        return {
            **super().get_filterset_kwargs(request, queryset, view),
            "data": view.list_filters(),
        }
