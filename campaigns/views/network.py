"""The network view of organisations, coalitions and campaigns."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from campaigns.models import Coalition
from campaigns.views.common import reads_campaigns
from ngo import access
from ngo.directory.models import Organisation


@reads_campaigns
@require_GET
def network(request):
    """The graph is drawn in the browser (cytoscape) from the scoped JSON
    endpoint /api/v1/campaigns/network/."""
    countries = sorted(
        {
            code
            for code in access.scope(request.user, Organisation).values_list("country", flat=True)
        }
    )
    return render(
        request,
        "campaigns/network.html",
        {
            "coalitions": access.scope(request.user, Coalition).filter(is_active=True),
            "countries": countries,
            "data_url": reverse("api:campaign-network"),
        },
    )
