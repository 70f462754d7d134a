"""The shadow-report draft screens: the button on a review's page, the draft's
page with its progress bar (polled by htmx) and Cancel, and the download.
Policy officers only (WRITE_POLICY); a draft is fetched through its access
rule and every download is audited."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ngo import access
from ngo.access import Need
from ngo.access.views import capability_required
from ngo.accounts.roles import Capability
from ngo.lib import private_files
from policy_monitor import drafts
from policy_monitor.models import DraftStatus, Review, ShadowReportDraft

writer = capability_required(Capability.WRITE_POLICY, area="policy_monitor")


def draft_get(user, pk, *, audit_read: bool = True) -> ShadowReportDraft:
    queryset = ShadowReportDraft.objects.select_related("review__mechanism", "requested_by")
    return access.get_for_user(user, queryset, pk, Need.READ, audit_read=audit_read)


def draft_download(user, pk) -> FileResponse:
    """The draft's Word file: 404 outside her scope or while there is none; audited."""
    draft = draft_get(user, pk, audit_read=False)
    if draft.status != DraftStatus.DONE or not private_files.exists(
        draft.file_area, draft.file_storage_name
    ):
        raise Http404
    drafts.draft_download_audit(actor=user, draft=draft)
    return FileResponse(
        io.BytesIO(drafts.draft_file(draft)),
        as_attachment=True,
        filename=draft.file_name,
        content_type=drafts.CONTENT_TYPE,
    )


@writer
@require_POST
def draft_create(request, pk):
    review = access.get_for_user(request.user, Review, pk, Need.WRITE)
    try:
        draft, created = drafts.draft_request(actor=request.user, review=review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("policy_monitor:review_detail", review.pk)
    if not created:
        messages.info(request, _("A draft for this review is already being written."))
    return redirect("policy_monitor:draft_detail", draft.pk)


@writer
def draft_detail(request, pk):
    draft = draft_get(request.user, pk)
    return render(request, "policy_monitor/draft_detail.html", {"draft": draft})


@writer
def draft_progress(request, pk):
    """The progress bar, polled by htmx while the worker writes the draft."""
    draft = draft_get(request.user, pk, audit_read=False)
    response = render(request, "policy_monitor/_draft_progress.html", {"draft": draft})
    if not draft.running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # reload the page to show the result
    return response


@writer
@require_POST
def draft_cancel(request, pk):
    draft = access.get_for_user(
        request.user, ShadowReportDraft.objects.all(), pk, Need.WRITE, audit_read=False
    )
    try:
        drafts.draft_cancel(actor=request.user, draft=draft)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The draft is stopped; nothing of it is kept."))
    return redirect("policy_monitor:draft_detail", draft.pk)


@writer
def draft_file(request, pk):
    return draft_download(request.user, pk)
