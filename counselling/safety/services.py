"""Writes of a woman's safe-contact rules, and the audited reveal of her code word."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import Client
from counselling.safety.models import Channel, SafetyRecord, Weekday
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, audited_create, audited_update
from ngo.lib.versions import StaleVersion, check_version

FIELDS = (
    "allowed_channels",
    "forbidden_channels",
    "contact_person",
    "safe_from",
    "safe_until",
    "safe_days",
    "who_must_not_know",
    "code_word",
    "immediate_danger",
    "child_protection",
    "perpetrator_is_partner_staff",
    "perpetrator_organisation",
    "perpetrator_has_address",
)


def _check(values: dict) -> None:
    errors = {}
    known = set(Channel.values)
    allowed = list(values.get("allowed_channels") or [])
    forbidden = list(values.get("forbidden_channels") or [])
    for name, chosen in (("allowed_channels", allowed), ("forbidden_channels", forbidden)):
        if any(value not in known for value in chosen):
            errors[name] = _("Choose the channels from the list.")
    both = sorted(set(allowed) & set(forbidden))
    if both:
        errors["forbidden_channels"] = _(
            "A channel cannot be both allowed and forbidden: %(channels)s."
        ) % {"channels": ", ".join(str(Channel(value).label) for value in both if value in known)}
    if Channel.CONTACT_PERSON in allowed and not values.get("contact_person"):
        errors["contact_person"] = _("Name the contact person through whom she may be reached.")
    days = values.get("safe_days") or []
    if any(day not in Weekday.values for day in days):
        errors["safe_days"] = _("Choose the days from the list.")
    start, end = values.get("safe_from"), values.get("safe_until")
    if (start is None) != (end is None):
        errors["safe_until" if end is None else "safe_from"] = _(
            "Give both ends of her safe hours, or neither."
        )
    elif start is not None and start == end:
        errors["safe_until"] = _(
            "Her safe hours must start and end at different times (for hours past "
            "midnight, give e.g. 22:00 to 06:00)."
        )
    if values.get("perpetrator_organisation") and not values.get("perpetrator_is_partner_staff"):
        errors["perpetrator_organisation"] = _(
            "Name the organisation only when the perpetrator works at a partner organisation."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def safety_record_save(
    *,
    actor: User,
    client: Client,
    values: dict,
    expected_version: int | None = None,
) -> SafetyRecord:
    """Create or change her rules. `values` may be partial (the API's PATCH):
    the rules are checked whole, as they will be saved."""
    record = SafetyRecord.objects.filter(client=client).select_for_update().first()
    values = {key: value for key, value in values.items() if key in FIELDS}
    current = {name: getattr(record, name) for name in FIELDS} if record else {}
    _check({**current, **values})
    if record is None:
        check_version(SafetyRecord(client=client), expected_version)
        try:
            with transaction.atomic():
                return audited_create(
                    SafetyRecord,
                    actor=actor,
                    values=values,
                    allowed=FIELDS,
                    extra={"client": client, "updated_by": actor},
                )
        except IntegrityError:
            # A colleague recorded her first rules at the same moment.
            raise StaleVersion(SafetyRecord(client=client), expected=1, current=1) from None

    def stamp(obj):
        obj.updated_by, obj.updated_at = actor, timezone.now()

    audited_update(
        record,
        actor=actor,
        values=values,
        allowed=FIELDS,
        before_save=stamp,
        expected_version=expected_version,
    )
    return record


def code_word_reveal(*, actor: User, record: SafetyRecord) -> str:
    """Her code word, shown on an explicit request only; every reveal is audited."""
    audit_record(
        action=AuditAction.READ, actor=actor, obj=record, fields=["code_word"], reason="code_word"
    )
    return record.code_word or ""


def scrub_safety_for_client(client) -> dict[str, int]:
    """Destruction: her rules go whole; nothing in them is counted."""
    deleted, _by_model = SafetyRecord.objects.filter(client=client).delete()
    return {"safety.SafetyRecord": deleted}


def safety_for_subject_access(client) -> list[SafetyRecord]:
    return list(
        SafetyRecord.objects.filter(client=client).select_related("perpetrator_organisation")
    )
