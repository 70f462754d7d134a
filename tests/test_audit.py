"""The append-only audit trail."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from ngo.accounts import services
from ngo.accounts.models import Branch
from ngo.accounts.roles import Role
from ngo.audit.models import AppendOnlyError, AuditAction, AuditEvent
from ngo.audit.services import audit_record
from tests.conftest import REQUIRE_SERVICES, verified_client


def _event(**kwargs):
    return audit_record(action=kwargs.pop("action", AuditAction.READ), **kwargs)


def test_events_cannot_be_changed_or_deleted_through_the_orm(db):
    event = _event(object_type="accounts.user", object_id=1)
    event.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.skipif(
    connection.vendor != "postgresql" and not REQUIRE_SERVICES,
    reason="the trigger exists on PostgreSQL (CI runs this on PostgreSQL)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_postgresql_trigger_refuses_update_and_delete(sql):
    assert connection.vendor == "postgresql"
    event = _event(object_type="accounts.user", object_id=1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_audit_row_is_written_in_the_same_transaction_as_the_write(personas):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.branch_create(
            actor=personas.admin, code="GWJ", name_ko="광주지부", name_en="Gwangju branch"
        )
        raise RuntimeError("the rest of the request failed")
    assert not Branch.objects.filter(code="GWJ").exists()
    assert AuditEvent.objects.count() == before


def test_staff_writes_are_audited_without_personal_data(personas, branch_a):
    staff = services.staff_create(
        actor=personas.admin,
        email="nguyen.thi@example.org",
        full_name="Nguyen Thi Lan",
        role=Role.COUNSELLOR,
        branches=[branch_a],
        password="a long enough passphrase 1",
    )
    services.staff_update(actor=personas.admin, staff=staff, full_name="Nguyen Thi Mai")
    events = AuditEvent.objects.filter(object_type="accounts.user", object_id=str(staff.pk))
    assert [e.action for e in events.order_by("id")] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert events.order_by("id").last().fields == ["full_name"]
    dumped = " ".join(str(v) for e in events for v in e.__dict__.values())
    for secret in ("nguyen.thi@example.org", "Nguyen", "Lan", "Mai", "passphrase"):
        assert secret not in dumped


def test_request_id_and_ip_are_recorded(personas):
    client = verified_client(personas.admin)
    response = client.get(
        f"/api/v1/staff/{personas.counsellor_a.pk}/",
        HTTP_X_REQUEST_ID="req-test-12345",
        REMOTE_ADDR="10.1.2.3",
    )
    assert response["X-Request-ID"] == "req-test-12345"
    event = AuditEvent.objects.get(action=AuditAction.READ, object_type="accounts.user")
    assert event.request_id == "req-test-12345"
    assert event.ip == "10.1.2.3"


# --- Browsing and filtering -----------------------------------------------------------


@pytest.fixture
def trail(personas, branch_a):
    old = _event(
        actor=personas.counsellor_a, object_type="accounts.user", object_id=5, branch=branch_a
    )
    _event(
        actor=personas.manager_a,
        action=AuditAction.UPDATE,
        object_type="accounts.branch",
        object_id=branch_a.pk,
        branch=branch_a,
    )
    _event(actor=personas.admin, action=AuditAction.EXPORT, object_type="audit.auditevent")
    return old


@pytest.mark.parametrize("persona", ["counsellor_a", "manager_a", "volunteer", "coordinator"])
def test_only_auditors_and_administrators_read_the_trail(personas, trail, persona):
    client = verified_client(getattr(personas, persona))
    assert client.get("/api/v1/audit-events/").json()["count"] == 0
    assert client.get(f"/api/v1/audit-events/{trail.pk}/").status_code == 404
    assert client.get("/audit/").status_code == 404
    assert client.get("/audit/export.csv").status_code == 404


def test_auditor_filters_by_actor_action_object_and_dates(personas, trail):
    client = verified_client(personas.auditor)
    by_actor = client.get(f"/api/v1/audit-events/?actor={personas.manager_a.pk}").json()
    assert [e["action"] for e in by_actor["results"]] == ["update"]
    by_action = client.get("/api/v1/audit-events/?action=export").json()
    assert {e["actor"] for e in by_action["results"]} == {personas.admin.pk}
    by_object = client.get("/api/v1/audit-events/?object_type=accounts.user&object_id=5").json()
    assert by_object["count"] == 1
    today = timezone.localdate()
    in_range = client.get(f"/api/v1/audit-events/?since={today}&until={today}").json()
    assert in_range["count"] >= 3
    future = today + timedelta(days=1)
    assert client.get(f"/api/v1/audit-events/?since={future}").json()["count"] == 0
    bad = client.get("/api/v1/audit-events/?since=yesterday")
    assert bad.status_code == 400
    assert "since" in bad.json()["error"]["fields"]


def test_audit_api_has_no_write_methods(personas, trail):
    client = verified_client(personas.admin)
    assert client.delete(f"/api/v1/audit-events/{trail.pk}/").status_code == 405
    assert (
        client.patch(
            f"/api/v1/audit-events/{trail.pk}/", {}, content_type="application/json"
        ).status_code
        == 405
    )
    assert client.post("/api/v1/audit-events/", {}).status_code == 405


def test_audit_page_lists_and_filters(personas, trail):
    client = verified_client(personas.auditor)
    page = client.get("/audit/?action=update")
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 1
    invalid = client.get("/audit/?since=not-a-date")
    assert invalid.status_code == 200
    assert invalid.context["filter"].errors


def test_export_is_a_csv_and_is_itself_audited(personas, trail):
    client = verified_client(personas.auditor)
    response = client.get("/audit/export.csv?action=update")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["id", "occurred_at", "actor_id", "action"]
    assert [r[3] for r in rows[1:]] == ["update"]
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, actor=personas.auditor, object_type="audit.auditevent"
    ).exists()


def test_export_streams_through_tabular_and_neutralises_formulas(personas, trail):
    """An object id comes from the address asked for: a formula there must reach
    a spreadsheet as text. The file streams, no cache keeps it, and its export
    event is written before the first row leaves."""
    planted = _event(
        actor=personas.counsellor_a,
        action=AuditAction.PERMISSION_DENIED,
        object_type="counselling.case",
        object_id='=HYPERLINK("http://evil.example","x")',
        reason="+not_in_scope",
    )
    client = verified_client(personas.auditor)
    response = client.get("/audit/export.csv?action=permission_denied")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    assert response["Content-Disposition"].endswith('.csv"')
    exported = AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=personas.auditor).get()
    assert exported.fields == ["action"]
    body = b"".join(response.streaming_content).decode()
    assert not body.startswith("\ufeff")  # codes and numbers only, read by scripts
    rows = {row[0]: row for row in csv.reader(io.StringIO(body))}
    row = rows[str(planted.pk)]
    assert row[5] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[8] == "'+not_in_scope"
    assert row[1] == planted.occurred_at.isoformat()
    assert row[2] == str(personas.counsellor_a.pk)


def test_export_of_nothing_is_still_audited(personas, trail):
    client = verified_client(personas.auditor)
    response = client.get("/audit/export.csv?since=not-a-date")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=personas.auditor).exists()


def test_django_admin_cannot_change_or_delete_events(personas, trail):
    client = verified_client(personas.admin)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{trail.pk}/delete/").status_code == 403
    response = client.post(f"/admin/audit/auditevent/{trail.pk}/change/", {"reason": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=trail.pk).reason == ""
