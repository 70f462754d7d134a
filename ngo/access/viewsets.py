from rest_framework import viewsets

from ngo.access.api import ScopedViewSetMixin


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
