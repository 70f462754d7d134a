"""Uploaded documents: checked, encrypted, stored and read back."""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import (
    Case,
    CaseActivity,
    Client,
    CounsellingSession,
    Document,
    DocumentCategory,
    DocumentKind,
)
from counselling.services._common import _activity
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import private_files

ALLOWED_TYPES = {
    "application/pdf": DocumentKind.PDF,
    "image/jpeg": DocumentKind.IMAGE,
    "image/png": DocumentKind.IMAGE,
    "image/gif": DocumentKind.IMAGE,
    "image/webp": DocumentKind.IMAGE,
    "image/heic": DocumentKind.IMAGE,
    "image/tiff": DocumentKind.IMAGE,
    "application/msword": DocumentKind.OFFICE,
    "application/vnd.ms-excel": DocumentKind.OFFICE,
    "application/vnd.ms-powerpoint": DocumentKind.OFFICE,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DocumentKind.OFFICE,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": DocumentKind.OFFICE,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        DocumentKind.OFFICE
    ),
    "application/vnd.oasis.opendocument.text": DocumentKind.OFFICE,
    "application/vnd.oasis.opendocument.spreadsheet": DocumentKind.OFFICE,
}
# What each type may be called (the name must agree with the content).
_EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    "image/gif": {"gif"},
    "image/webp": {"webp"},
    "image/heic": {"heic", "heif"},
    "image/tiff": {"tif", "tiff"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
    "application/vnd.ms-powerpoint": {"ppt"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {"docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {"xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {"pptx"},
    "application/vnd.oasis.opendocument.text": {"odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {"ods"},
}


DOCUMENT_AREA = Document.file_area


def document_path(storage_name: str):
    return private_files.path(DOCUMENT_AREA, storage_name)


def _check_expiry(expires_on: date | None, already_expired: bool) -> None:
    if expires_on is None or expires_on >= timezone.localdate() or already_expired:
        return
    raise ValidationError(
        {
            "expires_on": _(
                "This expiry date is in the past. If the document has already expired, "
                'tick "already expired" to store it anyway (no reminder is sent).'
            )
        }
    )


def document_upload(
    *,
    actor: User,
    client: Client,
    uploaded_file,
    title: str = "",
    case: Case | None = None,
    session: CounsellingSession | None = None,
    category: str = DocumentCategory.OTHER,
    expires_on: date | None = None,
    already_expired: bool = False,
) -> Document:
    """Check the file by its content, encrypt it, store it outside any public path.

    An expiry date in the past is refused unless `already_expired` says she
    brought an expired paper on purpose (it is then stored, and never reminded)."""
    _check_expiry(expires_on, already_expired)
    if session is not None:
        case = session.case
    if case is not None and case.client_id != client.pk:
        raise ValidationError({"case": _("That case belongs to someone else.")})
    size = uploaded_file.size
    if size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    data = b"".join(uploaded_file.chunks())
    mime = private_files.detect_type(data[:8192])
    if mime not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF, image and Office files can be uploaded; "
                    "this file's content is not one of them."
                )
            }
        )
    name = (uploaded_file.name or "").rsplit("/", 1)[-1][:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in _EXTENSIONS[mime]:
        raise ValidationError(
            {
                "file": _("The file's name (.%(ext)s) does not match its content (%(kind)s).")
                % {"ext": extension or "?", "kind": sorted(_EXTENSIONS[mime])[0].upper()}
            }
        )
    with private_files.stored(DOCUMENT_AREA, data) as storage_name, transaction.atomic():
        document = Document(
            client=client,
            case=case,
            session=session,
            title=title or name,
            original_name=name,
            content_type=mime,
            kind=ALLOWED_TYPES[mime],
            category=category or DocumentCategory.OTHER,
            expires_on=expires_on,
            size=size,
            sha256=hashlib.sha256(data).hexdigest(),
            storage_name=storage_name,
            uploaded_by=actor,
        )
        document.full_clean()
        document.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=document,
            fields=["file", "title", "category"] + (["expires_on"] if expires_on else []),
        )
        _activity(
            kind=CaseActivity.Kind.DOCUMENT,
            actor=actor,
            client=client,
            case=case,
            obj=document,
            label=document.kind,
        )
    return document


def document_content(document: Document) -> bytes:
    """The decrypted bytes. Callers fetch the document through the access module,
    which audits the read."""
    return private_files.read(DOCUMENT_AREA, document.storage_name)
