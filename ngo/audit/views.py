import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.selectors import audit_event_list
from ngo.audit.services import audit_record

EXPORT_COLUMNS = [
    "id",
    "occurred_at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "branch_id",
    "fields",
    "reason",
    "ip",
    "request_id",
]


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
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "filter": filterset, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def event_export(request):
    """CSV of the filtered trail. The export itself is audited."""
    _require_audit_reader(request.user)
    events, filterset = audit_event_list(user=request.user, filters=request.GET)
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.user,
            object_type="audit.auditevent",
            fields=sorted(k for k in request.GET if request.GET.get(k)),
        )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.id,
                    event.occurred_at.isoformat(),
                    event.actor_id or "",
                    event.action,
                    event.object_type,
                    event.object_id,
                    event.branch_id or "",
                    " ".join(event.fields),
                    event.reason,
                    event.ip or "",
                    event.request_id,
                ]
            )

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
