"""The branch caseload."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from counselling import exports, forms, selectors
from counselling.models import (
    CaseStatus,
)
from counselling.views._common import (
    CASELOAD_PAGE_SIZE,
    _may_see_caseload,
    _with_labels,
    reads_cases,
)
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import tabular


@reads_cases
@require_GET
def caseload_export(request, file_format):
    """The caseload with the screen's filters as a file; bad filters go back to
    the screen, which shows what is wrong."""
    if file_format not in tabular.FORMATS:
        raise Http404
    try:
        return exports.case_list_export(
            user=request.user, filters=request.GET, file_format=file_format
        )
    except ValidationError:
        return redirect(f"{reverse('counselling:caseload')}?{request.GET.urlencode()}")


@reads_cases
@require_GET
def caseload(request):
    if not _may_see_caseload(request.user):
        audit_record(
            action=AuditAction.PERMISSION_DENIED,
            actor=request.user,
            object_type="counselling.case",
            reason="caseload",
        )
        raise Http404
    cases, filterset = selectors.case_list(user=request.user, filters=request.GET)
    counts = dict(cases.order_by().values_list("status").annotate(n=Count("pk")))
    paginator = Paginator(cases, CASELOAD_PAGE_SIZE)
    # The counts by status add up to the list's length: no second COUNT over it.
    paginator.count = sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _with_labels(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    if not request.user.can(Capability.ALL_BRANCHES):
        filterset.form.fields["counsellor"].queryset = forms.assignable_staff(
            request.user.branch_ids()
        )
    return render(
        request,
        "counselling/caseload.html",
        {
            "page": page,
            "filter": filterset,
            "query": query.urlencode(),
            "counts": [(label, counts.get(value, 0)) for value, label in CaseStatus.choices],
            "total": sum(counts.values()),
        },
    )
