"""Fictional safe-contact rules for the quick start (never in production): the
demo client who must never be called at home. Runs after the counselling demo."""

from datetime import time

from counselling.models import Client
from counselling.safety import services
from counselling.safety.models import Channel, SafetyRecord
from ngo.accounts.models import User
from ngo.directory.models import Organisation

CLIENT = "Nguyen Thi Hoa"


def load() -> None:
    if SafetyRecord.objects.exists():
        return
    client = Client.objects.filter(name_romanised=CLIENT).order_by("pk").first()
    if client is None:
        return
    services.safety_record_save(
        actor=User.objects.get(email="counsellor@demo.hamkke.kr"),
        client=client,
        values={
            "allowed_channels": [Channel.SMS, Channel.CONTACT_PERSON],
            "forbidden_channels": [Channel.PHONE_CALL, Channel.HOME_VISIT, Channel.LETTER],
            "contact_person": "Her friend Lan at the Vietnamese community (demo)",
            "safe_from": time(10, 0),
            "safe_until": time(16, 0),
            "safe_days": [0, 1, 2, 3, 4],
            "who_must_not_know": "Her husband and his mother (demo).",
            "code_word": "lotus",
            "immediate_danger": True,
            "child_protection": True,
            "perpetrator_is_partner_staff": True,
            "perpetrator_organisation": Organisation.objects.filter(kind="hospital").first(),
            "perpetrator_has_address": True,
        },
    )
