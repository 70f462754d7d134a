"""Her safe-contact rules in the API: ETag and If-Match, the write-only code
word with its audited reveal, clear refusals, and the client's access rule."""

import pytest

from counselling.safety.models import SafetyRecord
from ngo.audit.models import AuditEvent
from tests.conftest import verified_client
from tests.safety_helpers import CODE_WORD, NOTES, case_with_rules

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _api(user):
    api = verified_client(user)
    api.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api


def _url(case) -> str:
    return f"/api/v1/clients/{case.client_id}/safety/"


def test_a_client_without_rules_answers_the_empty_rules_and_takes_the_first(make_case, personas):
    case = make_case()
    api = _api(personas.counsellor_a)
    empty = api.get(_url(case))
    assert empty.status_code == 200 and empty["ETag"] == '"1"'
    assert empty.json()["forbidden_channels"] == [] and empty.json()["has_code_word"] is False
    body = {"forbidden_channels": ["phone_call"], "safe_from": "10:00", "safe_until": "16:00"}
    assert api.patch(_url(case), body, content_type=JSON).status_code == 428
    saved = api.patch(_url(case), body, content_type=JSON, HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200, saved.content
    assert saved.json()["forbidden_channels"] == ["phone_call"]
    assert saved["ETag"] == '"1"'
    assert SafetyRecord.objects.get(client=case.client).safe_until.hour == 16


def test_an_update_needs_the_current_etag(make_case, personas):
    case = case_with_rules(make_case, personas)
    api = _api(personas.counsellor_a)
    shown = api.get(_url(case))
    assert shown["ETag"] == '"1"'
    data = shown.json()
    assert CODE_WORD not in shown.content.decode() and data["has_code_word"] is True
    assert data["notes"] == NOTES and data["immediate_danger"] is True
    changed = api.patch(
        _url(case), {"immediate_danger": False}, content_type=JSON, HTTP_IF_MATCH='"1"'
    )
    assert changed.status_code == 200 and changed["ETag"] == '"2"'
    assert changed.json()["immediate_danger"] is False
    stale = api.patch(
        _url(case), {"child_protection": False}, content_type=JSON, HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    assert SafetyRecord.objects.get(client=case.client).child_protection is True


def test_bad_rules_are_refused_with_a_message(make_case, personas):
    case = case_with_rules(make_case, personas)
    api = _api(personas.counsellor_a)
    same = api.patch(_url(case), {"safe_until": "10:00"}, content_type=JSON, HTTP_IF_MATCH='"1"')
    assert same.status_code == 400
    assert "different times" in str(same.json())
    both = api.patch(
        _url(case), {"allowed_channels": ["phone_call"]}, content_type=JSON, HTTP_IF_MATCH='"1"'
    )
    assert both.status_code == 400 and "both allowed and forbidden" in str(both.json())
    unknown = api.patch(_url(case), {"safe_days": [9]}, content_type=JSON, HTTP_IF_MATCH='"1"')
    assert unknown.status_code == 400
    assert SafetyRecord.objects.get(client=case.client).version == 1


def test_the_code_word_comes_only_from_the_audited_action(make_case, personas):
    case = case_with_rules(make_case, personas)
    api = _api(personas.counsellor_a)
    revealed = api.post(_url(case) + "code-word/")
    assert revealed.status_code == 200 and revealed.json() == {"code_word": CODE_WORD}
    assert "no-store" in revealed["Cache-Control"]
    event = AuditEvent.objects.get(reason="code_word")
    assert event.actor == personas.counsellor_a
    # Written through the API, it is write-only.
    new = api.patch(_url(case), {"code_word": "owl"}, content_type=JSON, HTTP_IF_MATCH='"1"')
    assert new.status_code == 200 and "owl" not in new.content.decode()
    assert SafetyRecord.objects.get(client=case.client).code_word == "owl"


@pytest.mark.parametrize("persona", ["counsellor_b", "coordinator", "volunteer"])
def test_another_branch_and_other_roles_get_404(make_case, personas, persona):
    case = case_with_rules(make_case, personas)
    api = _api(getattr(personas, persona))
    assert api.get(_url(case)).status_code == 404
    assert api.post(_url(case) + "code-word/").status_code == 404
    patch = api.patch(
        _url(case), {"immediate_danger": False}, content_type=JSON, HTTP_IF_MATCH='"1"'
    )
    assert patch.status_code == 404
    assert not AuditEvent.objects.filter(reason="code_word").exists()


def test_a_shelter_worker_reads_but_may_not_change_them(make_case, personas):
    case = case_with_rules(make_case, personas)
    api = _api(personas.shelter_worker_a)
    assert api.get(_url(case)).status_code == 200
    patch = api.patch(
        _url(case), {"immediate_danger": False}, content_type=JSON, HTTP_IF_MATCH='"1"'
    )
    assert patch.status_code == 403
