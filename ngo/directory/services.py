from django.db import transaction

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.directory.models import Organisation
from ngo.lib.changes import apply_changes

ORGANISATION_FIELDS = (
    "name_ko",
    "name_en",
    "kind",
    "country",
    "scope",
    "website",
    "email",
    "phone",
    "tags",
    "notes",
    "is_active",
)


@transaction.atomic
def organisation_create(*, actor, **values) -> Organisation:
    organisation = Organisation(**{k: v for k, v in values.items() if k in ORGANISATION_FIELDS})
    organisation.full_clean()
    organisation.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=organisation,
        fields=[k for k in values if k in ORGANISATION_FIELDS],
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor, organisation: Organisation, **values) -> Organisation:
    changed = apply_changes(organisation, values, ORGANISATION_FIELDS)
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=organisation, fields=changed)
    return organisation
