"""The branch caseload."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from counselling import exports, forms, selectors
from counselling.models import (
    CaseStatus,
)
from counselling.views._common import (
    CASELOAD_PAGE_SIZE,
    _with_labels,
    reads_cases,
)
from ngo.access.views import route_gate
from ngo.accounts.roles import Capability
from ngo.lib import tabular

# The caseload's search term (case code, name or phone) is kept in the session,
# never in an address: the search box POSTs it, the list, its pages and its
# exports read it from there, and their links carry only the other filters.
SEARCH_SESSION_KEY = "counselling.caseload.q"


def _filters(request, session_key: str = SEARCH_SESSION_KEY):
    """The screen's filters: the address's, and the search term from the session."""
    filters = request.GET.copy()
    filters.pop("page", None)
    query = filters.urlencode()  # what links may carry
    term = request.session.get(session_key, "")
    if term:
        filters["q"] = term
    return filters, query


def _search_in_address(request, url_name: str = "counselling:caseload"):
    """A search term sent in the address is not used: the list again
    without it, and a message saying to use the search box."""
    messages.warning(
        request,
        _("A name or phone number is never searched from the address; use the search box."),
    )
    rest = request.GET.copy()
    rest.pop("q", None)
    url = reverse(url_name)
    return redirect(f"{url}?{rest.urlencode()}" if rest else url)


def _search_posted(
    request, url_name: str = "counselling:caseload", session_key: str = SEARCH_SESSION_KEY
):
    """The filter form: the term into the session, the other filters into the
    address of the list it redirects to ("clear" empties both)."""
    url = reverse(url_name)
    if "clear" in request.POST:
        request.session.pop(session_key, None)
        return redirect(url)
    term = request.POST.get("q", "").strip()[:200]
    if term:
        request.session[session_key] = term
    else:
        request.session.pop(session_key, None)
    rest = QueryDict(mutable=True)
    for name in request.POST:
        values = [value for value in request.POST.getlist(name) if value]
        if values and name not in ("q", "csrfmiddlewaretoken", "page"):
            rest.setlist(name, values)
    return redirect(f"{url}?{rest.urlencode()}" if rest else url)


@reads_cases
@require_GET
def caseload_export(request, file_format):
    """The caseload with the screen's filters as a file; bad filters go back to
    the screen, which shows what is wrong."""
    if file_format not in tabular.FORMATS:
        raise Http404
    if request.GET.get("q"):
        return _search_in_address(request)
    filters, query = _filters(request)
    try:
        return exports.case_list_export(user=request.user, filters=filters, file_format=file_format)
    except ValidationError:
        return redirect(f"{reverse('counselling:caseload')}?{query}")


@reads_cases
@route_gate("counselling:caseload", area="counselling.case", reason="caseload")
@require_http_methods(["GET", "POST"])
def caseload(request):
    if request.method == "POST":
        return _search_posted(request)
    if request.GET.get("q"):
        return _search_in_address(request)
    filters, query = _filters(request)
    return _list_page(request, filters, query, template="counselling/caseload.html")


def _list_page(request, filters, query, *, template, assigned_to=None, extra=None):
    """One page of a case list with its filters and its counts by status, in
    a constant number of queries."""
    cases, filterset = selectors.case_list(
        user=request.user, filters=filters, assigned_to=assigned_to
    )
    counts = dict(cases.order_by().values_list("status").annotate(n=Count("pk")))
    paginator = Paginator(cases, CASELOAD_PAGE_SIZE)
    # The counts by status add up to the list's length: no second COUNT over it.
    paginator.count = sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _with_labels(list(page.object_list))
    if not request.user.can(Capability.ALL_BRANCHES):
        filterset.form.fields["counsellor"].queryset = forms.assignable_staff(
            request.user.branch_ids()
        )
    return render(
        request,
        template,
        {
            "page": page,
            "filter": filterset,
            "query": query,
            "searching": bool(filters.get("q")),
            "counts": [(label, counts.get(value, 0)) for value, label in CaseStatus.choices],
            "total": sum(counts.values()),
            **(extra or {}),
        },
    )
