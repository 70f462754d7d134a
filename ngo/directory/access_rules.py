"""Every member of staff reads the directory; some roles add and edit it."""

from django.db.models import Q

from ngo.accounts.roles import Capability
from ngo.directory.models import Organisation
from ngo.lib import access
from ngo.lib.access import Need


@access.rule(Organisation)
def organisation_rule(user, need: Need) -> Q | None:
    if need is Need.WRITE:
        return Q() if user.can(Capability.WRITE_DIRECTORY) else None
    if user.can(Capability.READ_CAMPAIGNS) or user.can(Capability.READ_CASES):
        return Q()
    return None
