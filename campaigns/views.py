from django.shortcuts import render

from ngo.accounts.roles import Capability
from ngo.lib.views import capability_required


@capability_required(Capability.READ_CAMPAIGNS, area="campaigns")
def index(request):
    return render(request, "campaigns/index.html")
