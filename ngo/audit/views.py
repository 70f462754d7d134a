from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from ngo.accounts.roles import Capability
from ngo.audit import exports
from ngo.audit.models import AuditAction
from ngo.audit.selectors import audit_event_list
from ngo.audit.services import audit_record
from ngo.lib.paging import CappedPaginator


def _require_audit_reader(user):
    if not user.can(Capability.READ_AUDIT):
        audit_record(
            action=AuditAction.PERMISSION_DENIED,
            actor=user,
            object_type="audit.auditevent",
            reason="list",
        )
        raise Http404


@login_required
def event_list(request):
    _require_audit_reader(request.user)
    events, filterset = audit_event_list(user=request.user, filters=request.GET)
    page = CappedPaginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "filter": filterset, "query": query.urlencode()},
    )


@login_required
def event_export(request):
    """CSV of the filtered trail. The export itself is audited."""
    _require_audit_reader(request.user)
    events, _filterset = audit_event_list(user=request.user, filters=request.GET)
    return exports.audit_event_export(actor=request.user, events=events, filters=request.GET)
