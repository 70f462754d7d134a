"""A woman with every safe-contact field filled, for the safety tests."""

from datetime import time

from counselling.safety import services
from counselling.safety.models import Channel

CODE_WORD = "blue-heron-42"
SECRET_PERSON = "Kwon Dae-ho and his sister"
CONTACT_PERSON = "Lan Phuong at the community centre"
NOTES = "Never leave a voicemail, text first"


def full_rules(organisation=None) -> dict:
    return {
        "allowed_channels": [Channel.SMS, Channel.CONTACT_PERSON],
        "forbidden_channels": [Channel.PHONE_CALL, Channel.HOME_VISIT],
        "contact_person": CONTACT_PERSON,
        "safe_from": time(10, 0),
        "safe_until": time(16, 0),
        "safe_days": [0, 1, 2, 3, 4],
        "who_must_not_know": SECRET_PERSON,
        "code_word": CODE_WORD,
        "immediate_danger": True,
        "child_protection": True,
        "perpetrator_is_partner_staff": organisation is not None,
        "perpetrator_organisation": organisation,
        "perpetrator_has_address": True,
    }


def case_with_rules(make_case, personas, organisation=None, **client):
    case = make_case(safe_contact=NOTES, **client)
    services.safety_record_save(
        actor=personas.counsellor_a, client=case.client, values=full_rules(organisation)
    )
    return case
