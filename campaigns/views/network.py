"""The network view of organisations, coalitions and campaigns."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from campaigns import selectors
from campaigns.views.common import reads_campaigns


@reads_campaigns
@require_GET
def network(request):
    """The graph is drawn in the browser (cytoscape) from the scoped JSON
    endpoint /api/v1/campaigns/network/."""
    countries = selectors.network_countries(user=request.user)
    return render(
        request,
        "campaigns/network.html",
        {
            "coalitions": selectors.active_coalitions(user=request.user),
            "countries": countries,
            "data_url": reverse("api:campaign-network"),
        },
    )
