from django.shortcuts import render

from ngo.accounts.roles import Capability
from ngo.lib.views import capability_required


@capability_required(Capability.READ_POLICY, area="policy_monitor")
def index(request):
    return render(request, "policy_monitor/index.html")
