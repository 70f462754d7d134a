from django.conf import settings

from ngo.accounts.roles import Capability


def hamkke(request):
    user = getattr(request, "user", None)
    caps = set(user.capabilities) if user is not None and user.is_authenticated else set()
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "nav": {
            "counselling": Capability.READ_CASES in caps,
            "campaigns": Capability.READ_CAMPAIGNS in caps,
            "policy": Capability.READ_POLICY in caps,
            "audit": Capability.READ_AUDIT in caps,
            "admin": Capability.MANAGE_STAFF in caps,
            "manager": Capability.MANAGE_BRANCH in caps,
            "retention": bool({Capability.MANAGE_BRANCH, Capability.MANAGE_STAFF} & caps),
            "destruction_records": bool({Capability.READ_AUDIT, Capability.MANAGE_STAFF} & caps),
        },
        "request_id": getattr(request, "request_id", ""),
    }
