from rest_framework import viewsets

from ngo.access.api import ScopedViewSetMixin


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only viewset whose list and retrieve go through the access module."""
