"""Access rules for branches, staff records and API tokens (see ngo.access)."""

from types import MappingProxyType

from django.db.models import Q

from ngo import access
from ngo.access import Need, routes
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


# --- Routes (see ngo.access.routes) ---------------------------------------------------

_PUBLIC = routes.Route(public=True, methods=routes.READ_ONLY)
_PUBLIC_FORM = routes.Route(
    public=True, methods=MappingProxyType({"GET": Need.READ, "POST": Need.WRITE})
)
_PUBLIC_POST = routes.Route(public=True, methods=MappingProxyType({"POST": Need.WRITE}))
# The Django admin: staff accounts (administrators); a signed-in person
# without admin access gets a plain 404 from its sign-in page.
_admin_staff = routes.Gate("admin staff", lambda user: user.is_staff)

routes.register(
    {
        # The project's own addresses.
        "home": _PUBLIC,  # a redirect to the dashboard, which asks for the sign-in
        "favicon": _PUBLIC,
        "set_language": _PUBLIC_FORM,  # a GET only goes back
        # The OpenAPI schema and its viewer describe the API, no record; both
        # need sign-in (the schema answers 403 to a visitor, the viewer sends
        # her to the sign-in page).
        "schema": routes.Route(api=True, refused=routes.FORBIDDEN),
        "api-docs": routes.page(),
        # Health: ok or failing per component, no data, for any monitor.
        "health": _PUBLIC,
        "health-web": _PUBLIC,
        "api:api-root": routes.Route(api=True, refused=routes.FORBIDDEN),
        "admin:index": routes.page(gate=_admin_staff),
        # Signing in and one's own account.
        "accounts:login": _PUBLIC_FORM,
        "accounts:logout": _PUBLIC_POST,
        "accounts:two_factor": routes.page_with_forms(),
        "accounts:recovery_codes": routes.page_with_forms(),
        "accounts:profile": routes.page_with_forms(),
        "accounts:dashboard": routes.page(),
        "api:me": routes.Route(api=True, refused=routes.FORBIDDEN),
        "api:token": routes.Route(
            api=True,
            refused=routes.FORBIDDEN,
            methods=MappingProxyType({"GET": Need.READ, "POST": Need.WRITE, "DELETE": Need.WRITE}),
        ),
        "api:token-detail": routes.Route(
            api=True,
            refused=routes.FORBIDDEN,
            record=ApiToken,
            methods=MappingProxyType({"DELETE": Need.WRITE}),
        ),
        # Branches and staff.
        "api:branch-list": routes.api_list(Branch),
        "api:branch-detail": routes.api_detail(Branch),
        "api:staff-list": routes.api_list(User),
        "api:staff-search": routes.api_search(),
        "api:staff-detail": routes.api_detail(User),
    }
)
