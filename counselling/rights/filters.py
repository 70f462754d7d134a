import django_filters

from counselling.rights.models import Outcome, RequestKind, RightsRequest
from ngo.lib.filters import IdFilter


class RightsRequestFilter(django_filters.FilterSet):
    """?client=<id>, ?kind=, ?outcome=."""

    client = IdFilter(field_name="client_id")
    kind = django_filters.ChoiceFilter(choices=RequestKind.choices)
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)

    class Meta:
        model = RightsRequest
        fields = ["client", "kind", "outcome"]
