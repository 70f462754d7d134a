"""Her requests to correct, delete, restrict or object (PIPA art. 36-37), on
the screens and in the API, and the scrub that the destruction of her file
calls."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from counselling.rights import services
from counselling.rights.models import ExportStatus, Outcome, RightsRequest, SubjectAccessExport
from counselling.rights.tasks import build_export
from ngo.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

LIST = "/api/v1/rights-requests/"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english():
    # The services' messages are asserted in English; the screens ask for it.
    with translation.override("en"):
        yield


@pytest.fixture
def case(make_case):
    return make_case(name_romanised="Tran Thi Lan")


def _record(personas, client, **values):
    return services.request_record(
        actor=personas.counsellor_a,
        client=client,
        kind=values.pop("kind", "correction"),
        asked=values.pop("asked", "My birth date is wrong: 1990-03-04."),
        **values,
    )


def test_a_request_is_due_in_ten_days_and_a_refusal_needs_its_reason(personas, case):
    received = timezone.localdate() - timedelta(days=3)
    rights_request = _record(personas, case.client, kind="deletion", received_on=received)
    assert rights_request.due_on == received + timedelta(days=10)
    assert rights_request.days_left == 7
    with pytest.raises(ValidationError) as refused:
        services.request_decide(
            actor=personas.manager_a, rights_request=rights_request, outcome="refused"
        )
    assert "reason" in refused.value.message_dict
    rights_request.refresh_from_db()
    assert rights_request.outcome == Outcome.PENDING and rights_request.decided_by is None
    decided = services.request_decide(
        actor=personas.manager_a,
        rights_request=rights_request,
        outcome="refused",
        reason="The law requires keeping the record of the court case.",
    )
    assert decided.outcome == Outcome.REFUSED and decided.decided_by == personas.manager_a
    assert decided.decided_at is not None
    with pytest.raises(ValidationError, match="decided already"):
        services.request_decide(
            actor=personas.manager_a, rights_request=decided, outcome="granted", reason="x"
        )


def test_a_granted_correction_says_what_changed_and_names_her_record(personas, case, make_case):
    client = case.client
    rights_request = _record(personas, client)
    with pytest.raises(ValidationError) as missing:
        services.request_decide(
            actor=personas.counsellor_a, rights_request=rights_request, outcome="granted"
        )
    assert "changes_made" in missing.value.message_dict
    stranger = make_case(name_romanised="Someone Else").client
    with pytest.raises(ValidationError) as elsewhere:
        services.request_decide(
            actor=personas.counsellor_a,
            rights_request=rights_request,
            outcome="granted",
            changes_made="Birth date corrected.",
            changed_object_type="counselling.client",
            changed_object_id=str(stranger.pk),
        )
    assert "changed_object_id" in elsewhere.value.message_dict
    with pytest.raises(ValidationError) as too_large:
        services.request_decide(
            actor=personas.counsellor_a,
            rights_request=rights_request,
            outcome="granted",
            changes_made="Birth date corrected.",
            changed_object_type="counselling.client",
            changed_object_id="9" * 30,
        )
    assert "changed_object_type" in too_large.value.message_dict
    decided = services.request_decide(
        actor=personas.counsellor_a,
        rights_request=rights_request,
        outcome="granted",
        changes_made="Birth date corrected.",
        changed_object_type="counselling.client",
        changed_object_id=str(client.pk),
    )
    assert decided.changed_object_type == "counselling.client"
    events = AuditEvent.objects.filter(object_type="rights.rightsrequest")
    assert {e.action for e in events} == {AuditAction.CREATE, AuditAction.UPDATE}
    assert not any("Birth" in f"{e.fields}{e.reason}" for e in events)


def test_the_screens_record_and_decide_with_clear_messages(personas, case, login):
    browser = login(personas.counsellor_a)
    browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    add = reverse("rights:request_add", args=[case.client.pk])
    response = browser.post(add, {"request-kind": "deletion", "request-asked": ""})
    assert response.status_code == 400 and not RightsRequest.objects.exists()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = browser.post(
        add,
        {"request-kind": "deletion", "request-asked": "Delete", "request-received_on": tomorrow},
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    response = browser.post(
        add,
        {
            "request-kind": "deletion",
            "request-asked": "Delete my old address.",
            "request-received_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    rights_request = RightsRequest.objects.get()
    decide = reverse("rights:request_decide", args=[rights_request.pk])
    prefix = f"decide-{rights_request.pk}"
    response = browser.post(decide, {f"{prefix}-outcome": "refused"})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    korean = login(personas.counsellor_a)
    response = korean.post(decide, {f"{prefix}-outcome": "partly"})
    assert "거절 사유를 적으세요" in response.content.decode()
    response = browser.post(decide, {f"{prefix}-outcome": "granted"})
    assert response.status_code == 302
    page = browser.get(reverse("rights:client_rights", args=[case.client.pk])).content.decode()
    assert "Delete my old address." in page and "Granted" in page


def test_the_api_lists_creates_retrieves_and_decides_within_her_access_rule(personas, case, login):
    api = login(personas.counsellor_a)
    response = api.post(
        LIST,
        {"client": case.client.pk, "kind": "objection", "asked": "No more marketing."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["outcome"] == "pending" and created["days_left"] == 10
    detail = f"{LIST}{created['id']}/"
    response = api.get(detail)
    assert response.status_code == 200 and response["ETag"] == f'"{created["version"]}"'
    assert [row["id"] for row in api.get(f"{LIST}?client={case.client.pk}").json()["results"]] == [
        created["id"]
    ]
    response = api.post(f"{detail}decide/", {"outcome": "refused"}, content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    response = api.post(f"{detail}decide/", {"outcome": "granted"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["outcome"] == "granted"
    assert response.json()["decided_by"]["id"] == personas.counsellor_a.pk
    # Another branch: nothing to see, nothing to create, nothing to decide.
    other = login(personas.counsellor_b)
    assert other.get(detail).status_code == 404
    assert other.get(LIST).json()["results"] == []
    response = other.post(
        LIST,
        {"client": case.client.pk, "kind": "deletion", "asked": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert other.post(f"{detail}decide/", {"outcome": "granted"}).status_code == 404
    assert login(personas.coordinator).get(detail).status_code == 404
    assert api.get(f"{LIST}?kind=nonsense").status_code == 400


def test_scrub_deletes_her_files_and_keeps_a_stub_of_her_requests(personas, case):
    client = case.client
    export = services.export_prepare(
        actor=personas.counsellor_a,
        client=client,
        requester="herself",
        identity_check="other",
        identity_note="Her cousin's word",
    )
    services.export_approve(actor=personas.manager_a, export=export)
    assert build_export.apply(args=[export.pk]).get() == "built"
    export.refresh_from_db()
    path = export.file_path()
    assert path.exists()
    rights_request = _record(personas, client, kind="deletion")
    services.request_decide(
        actor=personas.manager_a, rights_request=rights_request, outcome="partly", reason="Law"
    )
    waiting = services.export_prepare(
        actor=personas.counsellor_a, client=client, requester="herself", identity_check="passport"
    )
    services.export_approve(actor=personas.manager_a, export=waiting)
    assert services.scrub_rights_for_client(client) == {
        "exports_deleted": 1,
        "requests_scrubbed": 1,
    }
    assert not path.exists()
    export = SubjectAccessExport.objects.get(pk=export.pk)
    assert export.status == ExportStatus.EXPIRED and export.identity_note is None
    stub = RightsRequest.objects.get(pk=rights_request.pk)
    assert stub.asked is None and stub.reason is None and stub.scrubbed_at is not None
    assert (stub.kind, stub.outcome, stub.received_on) == (
        "deletion",
        "partly",
        rights_request.received_on,
    )
    assert build_export.apply(args=[waiting.pk]).get() == "skipped"  # never built now
    assert SubjectAccessExport.objects.get(pk=waiting.pk).status == ExportStatus.EXPIRED
    assert services.scrub_rights_for_client(client) == {
        "exports_deleted": 0,
        "requests_scrubbed": 0,
    }


def test_pending_and_decided_requests_match_the_schema(personas, case, login):
    import json

    from django.utils.translation import override
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    from tests.test_api_schema import schema_errors, spec  # noqa: F401

    with override("en"):
        schema = json.loads(
            OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
        )
    pending = _record(personas, case.client)
    api = login(personas.counsellor_a)
    one = api.get(f"{LIST}{pending.pk}/")
    assert one.json()["decided_by"] is None and one.json()["reason"] is None
    assert schema_errors(schema, "/api/v1/rights-requests/{id}/", "get", one) == []
    decided = api.post(
        f"{LIST}{pending.pk}/decide/",
        {"outcome": "refused", "reason": "Kept by law."},
        content_type="application/json",
    )
    assert schema_errors(schema, "/api/v1/rights-requests/{id}/decide/", "post", decided) == []
    listed = api.get(LIST)
    assert schema_errors(schema, "/api/v1/rights-requests/", "get", listed) == []
    refused = api.post(f"{LIST}{pending.pk}/decide/", {}, content_type="application/json")
    assert refused.status_code == 400
    assert schema_errors(schema, "/api/v1/rights-requests/{id}/decide/", "post", refused) == []
