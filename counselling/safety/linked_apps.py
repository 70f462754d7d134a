"""What this app adds to the apps it builds on: a section of her copy
(counselling.rights), its scrubber (counselling.retention) and the safety lines
of the reminders inbox (ngo.reminders). Each registers from here, one way."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _

from counselling.safety.models import Channel, SafetyRecord


def _channels(values) -> str:
    return ", ".join(str(Channel(value).label) for value in values if value in Channel.values)


def _section(client):
    from counselling.rights.display import row
    from counselling.safety.services import safety_for_subject_access

    rows = []
    for record in safety_for_subject_access(client):
        rows.append(
            row(
                record,
                [
                    "contact_person",
                    "safe_from",
                    "safe_until",
                    "who_must_not_know",
                    "code_word",
                    "immediate_danger",
                    "child_protection",
                    "perpetrator_is_partner_staff",
                    "perpetrator_has_address",
                    "updated_at",
                ],
                **{
                    _("contact allowed by"): _channels(record.allowed_channels),
                    _("never contact by"): _channels(record.forbidden_channels),
                    _("safe days"): ", ".join(record.safe_day_labels),
                    _("perpetrator's organisation"): (
                        record.perpetrator_organisation.name
                        if record.perpetrator_organisation
                        else ""
                    ),
                },
            )
        )
    return rows


def _reminder_notes(user, items):
    from counselling.safety.selectors import reminder_notes
    from ngo.reminders import registry

    models = {key: source.model for key, source in registry.sources().items()}
    return reminder_notes(user=user, items=items, models_by_source=models)


def register() -> None:
    if apps.is_installed("counselling.rights"):
        from counselling.rights.registry import register_section

        register_section(
            "safety", "안전 연락 규칙 / Safe-contact rules", _section, models=[SafetyRecord]
        )
    if apps.is_installed("counselling.retention"):
        from counselling.retention.registry import register_scrubber
        from counselling.safety.services import scrub_safety_for_client

        register_scrubber("safety", scrub_safety_for_client)
    from ngo.reminders.registry import register_inbox_notes

    register_inbox_notes("safety", _reminder_notes)
