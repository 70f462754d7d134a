"""No lost updates: two people who edit the same record from the same version
cannot both win. The API answers the second with 412 (and a PATCH of a case or
a client without If-Match with 428); the screens show her what was saved
meanwhile next to what she typed; the audit trail names only saved changes."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction

from counselling import services
from counselling.models import Case, Client, CounsellingSession
from ngo.audit.models import AuditAction, AuditEvent
from ngo.lib.versions import StaleVersion
from tests.conftest import verified_client

API = "/api/v1"
JSON = "application/json"


@pytest.fixture
def case(make_case):
    return make_case(narrative="She came with her sister.")


def _updates(obj) -> list[list[str]]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type=obj._meta.label_lower, object_id=str(obj.pk)
        ).values_list("fields", flat=True)
    )


def _patch(api, url, data, if_match=None, **headers):
    if if_match is not None:
        headers["If-Match"] = if_match
    return api.patch(url, data, content_type=JSON, headers=headers)


# --- The version and its compare-and-set ------------------------------------------------------


def test_every_saved_change_raises_the_version_by_one(personas, case):
    actor = personas.counsellor_a
    assert case.version == 1
    services.case_update(actor=actor, case=case, summary="First meeting.")
    assert Case.objects.get(pk=case.pk).version == 2
    services.case_update(actor=actor, case=case, summary="First meeting.")  # nothing changed
    assert Case.objects.get(pk=case.pk).version == 2
    services.case_change_status(actor=actor, case=case, to="active")
    assert Case.objects.get(pk=case.pk).version == 3 == case.version
    client = case.client
    services.client_update(actor=actor, client=client, interpreter_needed=True)
    assert Client.objects.get(pk=client.pk).version == 2 == client.version


def test_a_save_from_an_old_copy_is_refused_and_nothing_is_written(personas, case):
    """Two copies read at version 1: the first save wins; the second matches
    no row in its compare-and-set and writes nothing, not even an audit row."""
    mine, hers = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    services.case_update(actor=personas.counsellor_a, case=mine, summary="Mine.")
    with pytest.raises(StaleVersion) as refused:
        services.case_update(actor=personas.manager_a, case=hers, summary="Hers.")
    assert (refused.value.expected, refused.value.current) == (1, 2)
    saved = Case.objects.get(pk=case.pk)
    assert (saved.summary, saved.version) == ("Mine.", 2)
    assert _updates(case) == [["summary"]]


def test_the_version_she_started_from_is_compared(personas, case):
    actor = personas.counsellor_a
    services.case_update(actor=actor, case=case, summary="One.", expected_version=1)
    with pytest.raises(StaleVersion):
        services.case_update(
            actor=actor, case=Case.objects.get(pk=case.pk), summary="Two.", expected_version=1
        )
    assert Case.objects.get(pk=case.pk).summary == "One."


def test_a_risk_assessment_is_never_refused_and_moves_the_version(personas, case):
    stale = Case.objects.get(pk=case.pk)
    services.case_update(actor=personas.counsellor_a, case=case, summary="Changed.")
    services.risk_assess(actor=personas.counsellor_a, case=stale, answers={"stalking": True})
    saved = Case.objects.get(pk=case.pk)
    assert saved.version == 3
    assert saved.summary == "Changed."


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between two connections: PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_the_same_version_cannot_both_win(personas, make_case):
    case = make_case()
    barrier = threading.Barrier(2)
    outcome = {}

    def save(name: str) -> None:
        try:
            with transaction.atomic():
                mine = Case.objects.get(pk=case.pk)
                barrier.wait(timeout=10)  # both have read version 1
                services.case_update(
                    actor=personas.counsellor_a, case=mine, summary=name, expected_version=1
                )
            outcome[name] = "saved"
        except StaleVersion:
            outcome[name] = "refused"
        finally:
            close_old_connections()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcome.values()) == ["refused", "saved"]
    winner = next(name for name, result in outcome.items() if result == "saved")
    saved = Case.objects.get(pk=case.pk)
    assert (saved.summary, saved.version) == (winner, 2)
    assert _updates(case) == [["summary"]]


# --- The API: ETag, If-Match, 412 and 428 ----------------------------------------------------


def test_two_api_edits_from_the_same_etag_the_second_gets_412(personas, case):
    first, second = verified_client(personas.counsellor_a), verified_client(personas.manager_a)
    url = f"{API}/cases/{case.pk}/"
    etag = first.get(url)["ETag"]
    assert etag == '"1"'
    assert second.get(url)["ETag"] == etag

    saved = _patch(first, url, {"summary": "Court date set."}, etag)
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] == '"2"' and saved.json()["version"] == 2

    stale = _patch(
        second, url, {"summary": "Moved to a shelter."}, etag, **{"Accept-Language": "en"}
    )
    assert stale.status_code == 412
    assert stale["ETag"] == '"2"'
    error = stale.json()["error"]
    assert error["code"] == "stale_version"
    assert "If-Match" in error["message"] and "version 2" in error["message"]
    kept = Case.objects.get(pk=case.pk)
    assert (kept.summary, kept.version) == ("Court date set.", 2)
    assert _updates(case) == [["summary"]]

    again = _patch(second, url, {"summary": "Moved to a shelter."}, stale["ETag"])
    assert again.status_code == 200 and again["ETag"] == '"3"'


def test_the_412_message_is_in_korean_for_korean_staff(personas, case):
    api = verified_client(personas.counsellor_a)
    url = f"{API}/cases/{case.pk}/"
    _patch(api, url, {"summary": "One."}, '"1"')
    stale = _patch(api, url, {"summary": "Two."}, '"1"', **{"Accept-Language": "ko"})
    assert stale.status_code == 412
    message = stale.json()["error"]["message"]
    assert "If-Match" in message and "버전" in message


@pytest.mark.parametrize("kind", ["cases", "clients"])
def test_a_patch_of_a_case_or_client_without_if_match_is_428(personas, case, kind):
    api = verified_client(personas.counsellor_a)
    pk = case.pk if kind == "cases" else case.client_id
    data = {"summary": "New."} if kind == "cases" else {"narrative": "New."}
    response = _patch(api, f"{API}/{kind}/{pk}/", data)
    assert response.status_code == 428
    assert response.json()["error"]["code"] == "if_match_required"
    assert "If-Match" in response.json()["error"]["message"]
    model = Case if kind == "cases" else Client
    assert model.objects.get(pk=pk).version == 1
    assert _updates(model.objects.get(pk=pk)) == []


def test_the_client_record_answers_412_to_a_stale_narrative(personas, case):
    api = verified_client(personas.counsellor_a)
    url = f"{API}/clients/{case.client_id}/"
    assert api.get(url)["ETag"] == '"1"'
    assert _patch(api, url, {"narrative": "Mine."}, '"1"').status_code == 200
    stale = _patch(api, url, {"narrative": "Hers."}, '"1"')
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    assert Client.objects.get(pk=case.client_id).narrative == "Mine."


def test_someone_outside_her_scope_gets_404_not_428(personas, case):
    api = verified_client(personas.counsellor_b)
    assert _patch(api, f"{API}/cases/{case.pk}/", {"summary": "x"}).status_code == 404


@pytest.mark.parametrize("header", ["1", '"one"', 'W/"1", garbage'])
def test_a_malformed_if_match_is_a_400(personas, case, header):
    api = verified_client(personas.counsellor_a)
    response = _patch(api, f"{API}/cases/{case.pk}/", {"summary": "x"}, header)
    assert response.status_code == 400
    assert "If-Match" in response.json()["error"]["message"]
    assert Case.objects.get(pk=case.pk).version == 1


def test_if_match_may_name_several_versions_or_any(personas, case):
    api = verified_client(personas.counsellor_a)
    url = f"{API}/cases/{case.pk}/"
    assert _patch(api, url, {"summary": "a"}, '"7", "1"').status_code == 200
    assert _patch(api, url, {"summary": "b"}, "*").status_code == 200
    assert Case.objects.get(pk=case.pk).version == 3


def test_other_records_honour_if_match_when_sent(personas, case):
    session = services.session_record(
        actor=personas.counsellor_a, case=case, mode="in_person", language="vi"
    )
    api = verified_client(personas.counsellor_a)
    url = f"{API}/sessions/{session.pk}/"
    assert api.get(url)["ETag"] == '"1"'
    plain = _patch(api, url, {"duration_minutes": 30})
    assert plain.status_code == 200 and plain["ETag"] == '"2"'
    stale = _patch(api, url, {"duration_minutes": 45}, '"1"')
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    assert CounsellingSession.objects.get(pk=session.pk).duration_minutes == 30


def test_a_new_record_comes_with_its_etag(personas, case):
    api = verified_client(personas.counsellor_a)
    response = api.post(
        f"{API}/sessions/", {"case": case.pk, "mode": "in_person", "language": "vi"}, JSON
    )
    assert response.status_code == 201 and response["ETag"] == '"1"'
    assert "ETag" not in api.get(f"{API}/sessions/")  # a list is not one record


def test_the_schema_documents_etag_if_match_412_and_428():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    paths = yaml.safe_load(out.getvalue())["paths"]
    patch = paths["/api/v1/cases/{id}/"]["patch"]
    if_match = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert if_match["in"] == "header" and if_match["required"] is True
    assert {"200", "412", "428"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    assert "ETag" in patch["responses"]["412"]["headers"]
    assert "ETag" in paths["/api/v1/cases/{id}/"]["get"]["responses"]["200"]["headers"]
    session = paths["/api/v1/sessions/{id}/"]["patch"]
    if_match = next(p for p in session["parameters"] if p["name"] == "If-Match")
    assert if_match.get("required", False) is False
    assert "412" in session["responses"] and "428" not in session["responses"]
