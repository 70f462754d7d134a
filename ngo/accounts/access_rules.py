"""Access rules for branches, staff records and API tokens (see ngo.access)."""

from django.db.models import Q

from ngo import access
from ngo.access import Need
from ngo.accounts.models import ApiToken, Branch, User
from ngo.accounts.roles import Capability


@access.rule(Branch)
def branch_rule(user, need: Need) -> Q | None:
    if user.can(Capability.MANAGE_STAFF):
        return Q()
    if need is Need.WRITE:
        return None
    if user.can(Capability.ALL_BRANCHES):
        return Q()
    return Q(pk__in=user.branch_ids())


@access.rule(User)
def staff_rule(user, need: Need) -> Q | None:
    if user.can(Capability.MANAGE_STAFF):
        return Q()
    if need is Need.WRITE:
        return None
    if user.can(Capability.READ_AUDIT):
        return Q()
    if user.can(Capability.MANAGE_BRANCH):
        colleagues = User.branches.through.objects.filter(branch_id__in=user.branch_ids())
        return Q(pk__in=colleagues.values("user_id")) | Q(pk=user.pk)
    return Q(pk=user.pk)


@access.rule(ApiToken)
def api_token_rule(user, need: Need) -> Q | None:
    # Everyone sees and revokes her own tokens only; administrators revoke
    # someone else's by resetting her second factor.
    return Q(user_id=user.pk)
