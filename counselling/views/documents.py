"""Uploading and downloading documents."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from counselling import forms, services
from counselling.models import (
    Document,
)
from counselling.views._common import _case_action, reads_cases
from ngo import access


@reads_cases
@require_POST
def document_add(request, pk: int):
    def call(case, form):
        return services.document_upload(
            actor=request.user,
            client=case.client,
            case=case,
            uploaded_file=form.cleaned_data["file"],
            **form.document_values(),
        )

    return _case_action(
        request,
        pk,
        forms.TypedDocumentForm,
        "document",
        call,
        success=_("The document is stored."),
        anchor="documents",
    )


@reads_cases
@require_GET
def document_download(request, pk: int):
    document = access.get_for_user(request.user, Document, pk)  # audited read
    response = HttpResponse(services.document_content(document), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.original_name or f"document-{document.pk}"
    )
    response["Cache-Control"] = "no-store"
    return response
