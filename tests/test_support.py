"""Services given: the service layer (versioned, audited, database rules),
the case panel with its total, add/edit/cancel screens, the "what support
cost" report (managers, their branches; CSV audited and without personal
data), her copy and the scrubber."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from counselling.retention import registry as retention_registry
from counselling.rights import registry as rights_registry
from counselling.support import services
from counselling.support.models import ServiceGiven
from counselling.support.subject import services_for_subject_access
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import content_of, verified_client


@pytest.fixture
def case_a(make_case):
    return make_case(name_romanised="Tran Thi Hoa")


@pytest.fixture
def given(case_a, personas, organisations):
    return [
        services.service_add(
            actor=personas.counsellor_a,
            case=case_a,
            kind="medical",
            organisation=organisations["hospital"],
            given_on=date(2025, 4, 2),
            cost_krw=85000,
            note="Seen by Dr Kim for bruises.",
        ),
        services.service_add(
            actor=personas.counsellor_a,
            case=case_a,
            kind="interpreting",
            provider_name="Interpreter pool",
            given_on=date(2025, 4, 3),
            cost_krw=40000,
        ),
        services.service_add(
            actor=personas.counsellor_a,
            case=case_a,
            kind="childcare",
            status="planned",
            given_on=date(2025, 4, 9),
            cost_krw=120000,
        ),
    ]


def test_the_database_holds_the_rules(case_a, personas, organisations):
    with pytest.raises(ValidationError) as refused:
        services.service_add(
            actor=personas.counsellor_a,
            case=case_a,
            kind="medical",
            organisation=organisations["hospital"],
            provider_name="Also a name",
            given_on=date(2025, 4, 2),
            given_until=date(2025, 4, 1),
        )
    assert set(refused.value.messages) == {
        str(constraint.violation_error_message)
        for constraint in ServiceGiven._meta.constraints
        if constraint.name in ("support_one_provider", "support_until_after_from")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceGiven.objects.create(
            case=case_a, kind="nothing", created_by=personas.counsellor_a, given_on=date(2025, 1, 1)
        )


def test_update_and_cancel_are_versioned_and_audited(given, personas):
    service = given[0]
    services.service_update(actor=personas.counsellor_a, service=service, cost_krw=90000)
    services.service_cancel(actor=personas.counsellor_a, service=service)
    service.refresh_from_db()
    assert service.status == "cancelled" and service.version == 3
    with pytest.raises(ValidationError):
        services.service_cancel(actor=personas.counsellor_a, service=service)
    events = AuditEvent.objects.filter(
        object_type="support.servicegiven", object_id=str(service.pk)
    )
    assert set(events.values_list("action", flat=True)) == {AuditAction.CREATE, AuditAction.UPDATE}
    assert events.filter(reason="cancel").exists()


def test_the_case_panel_lists_the_services_and_the_cost_given(given, case_a, personas):
    page = verified_client(personas.counsellor_a).get(f"/counselling/cases/{case_a.pk}/")
    panel = next(p for p in page.context["panels"] if p.template == "support/_case_panel.html")
    assert len(panel.context["services"]) == 3
    assert panel.context["total_cost"] == 125000  # the planned childcare is not counted
    assert "Seoul Medical Centre" in page.content.decode()


def test_add_edit_and_cancel_through_the_screens(case_a, personas):
    client = verified_client(personas.counsellor_a)
    bad = client.post(
        f"/counselling/cases/{case_a.pk}/services-given/",
        {"service-kind": "medical", "service-given_on": "2025-04-02", "service-cost_krw": "-5"},
    )
    assert bad.status_code == 200 and not ServiceGiven.objects.exists()
    added = client.post(
        f"/counselling/cases/{case_a.pk}/services-given/",
        {
            "service-kind": "legal_aid",
            "service-provider_name": "Lawyer Park",
            "service-given_on": "2025-04-02",
            "service-cost_krw": "50000",
            "service-paid_by": "public_fund",
            "service-status": "given",
        },
    )
    assert added.status_code == 302
    service = ServiceGiven.objects.get()
    edit = f"/counselling/services-given/{service.pk}/"
    assert client.get(edit).status_code == 200
    saved = client.post(
        edit,
        {
            "version": "1",
            "kind": "legal_aid",
            "provider_name": "Lawyer Park",
            "given_on": "2025-04-02",
            "cost_krw": "65000",
            "paid_by": "public_fund",
            "status": "given",
        },
    )
    assert saved.status_code == 302
    service.refresh_from_db()
    assert service.cost_krw == 65000
    assert client.post(f"{edit}cancel/").status_code == 302
    service.refresh_from_db()
    assert service.status == "cancelled"


def test_another_branch_gets_404(given, personas, case_a):
    client = verified_client(personas.counsellor_b)
    assert client.get(f"/counselling/services-given/{given[0].pk}/").status_code == 404
    assert client.post(f"/counselling/services-given/{given[0].pk}/cancel/").status_code == 404
    assert client.post(f"/counselling/cases/{case_a.pk}/services-given/", {}).status_code == 404


def test_the_cost_report_sums_by_kind_and_provider(given, personas, make_case):
    other = make_case(actor=personas.counsellor_b)
    services.service_add(
        actor=personas.counsellor_b,
        case=other,
        kind="medical",
        given_on=date(2025, 4, 5),
        cost_krw=999999,
    )
    url = "/counselling/services-given/cost/?date_from=2025-04-01&date_until=2025-04-30"
    manager = verified_client(personas.manager_a).get(url)
    report = manager.context["report"]
    assert report["count"] == 2 and report["cost"] == 125000  # her branch, given only
    assert {row["kind"]: row["cost"] for row in report["by_kind"]} == {
        "interpreting": 40000,
        "medical": 85000,
    }
    assert {row["label"] for row in report["by_provider"]} == {
        "Seoul Medical Centre",
        "Interpreter pool",
    }
    head_office = verified_client(personas.admin).get(url).context["report"]
    assert head_office["cost"] == 125000 + 999999
    assert verified_client(personas.counsellor_a).get(url).status_code == 404
    bad = verified_client(personas.manager_a).get(
        "/counselling/services-given/cost/?date_from=2025-05-01&date_until=2025-04-01"
    )
    assert bad.status_code == 200 and bad.context["form"].errors


def test_the_cost_csv_is_audited_and_names_nobody(given, personas, case_a):
    response = verified_client(personas.manager_a).get(
        "/counselling/services-given/cost.csv?date_from=2025-04-01&date_until=2025-04-30"
    )
    assert response.status_code == 200
    text = content_of(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[-1][-2:] == ["2", "125000"]
    assert "Tran Thi Hoa" not in text and case_a.client.case_code not in text
    assert "Dr Kim" not in text
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="support.costreport", actor=personas.manager_a
    ).exists()
    bad = verified_client(personas.manager_a).get(
        "/counselling/services-given/cost.csv?date_from=x"
    )
    assert bad.status_code == 400


def test_her_copy_and_her_destruction_cover_the_services(given, case_a):
    assert ServiceGiven in rights_registry.covered_models()
    assert "support" in retention_registry.covered_apps()
    rows = services_for_subject_access(case_a.client)
    assert len(rows) == 3 and any("Seen by Dr Kim for bruises." in row.values() for row in rows)
    assert services.scrub_services_for_client(case_a.client) == {"support.ServiceGiven": 3}
    kept = ServiceGiven.objects.order_by("given_on").first()
    assert kept.note is None and kept.cost_krw == 85000 and kept.kind == "medical"
