"""The counsellor's case list: her own cases, and on a second tab every case of
her branches she may see, with the caseload's filters."""

from __future__ import annotations

from django.http import QueryDict
from django.views.decorators.http import require_http_methods

from counselling.views._common import _may_see_caseload, reads_cases
from counselling.views.caseload import _filters, _list_page, _search_in_address, _search_posted
from ngo.access.views import route_gate

URL_NAME = "counselling:case_list"
# The search term (a name, a phone) lives in the session, never in an address.
SEARCH_SESSION_KEY = "counselling.case_list.q"
SCOPES = ("mine", "branch")


@reads_cases
@route_gate(URL_NAME, area="counselling.case", reason="case_list")
@require_http_methods(["GET", "POST"])
def case_list(request):
    if request.method == "POST":
        return _search_posted(request, URL_NAME, SEARCH_SESSION_KEY)
    if request.GET.get("q"):
        return _search_in_address(request, URL_NAME)
    filters, query = _filters(request, SEARCH_SESSION_KEY)
    # "My cases" unless the branch tab is asked for (anything else: hers).
    scope = "branch" if filters.get("scope") == "branch" else "mine"
    filters.pop("scope", None)
    return _list_page(
        request,
        filters,
        query,
        template="counselling/case_list.html",
        assigned_to=request.user if scope == "mine" else None,
        extra={
            "scope": scope,
            "other_filters": _without_scope(query),
            "can_see_caseload": _may_see_caseload(request.user),
        },
    )


def _without_scope(query: str) -> str:
    rest = QueryDict(query, mutable=True)
    rest.pop("scope", None)
    return rest.urlencode()
