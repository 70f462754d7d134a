from django.db import transaction

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.directory.models import Organisation

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
    changed = [
        k for k in ORGANISATION_FIELDS if k in values and getattr(organisation, k) != values[k]
    ]
    for name in changed:
        setattr(organisation, name, values[name])
    if changed:
        organisation.full_clean()
        organisation.save(update_fields=changed)
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=organisation, fields=changed)
    return organisation
