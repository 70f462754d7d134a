"""Who reaches shadow-report statistics, through the REST API and the screens:
every endpoint per persona, a branch manager's own-branch scope, bad input as
clear 400s, exports audited, and list query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor.statistics import services as dataset_services
from policy_monitor.statistics.models import DatasetStatus, StatisticsDataset
from policy_monitor.statistics.tasks import generate_dataset
from tests.conftest import verified_client

API = "/api/v1/statistics-datasets"
TODAY = timezone.localdate()
PERSONAS = [
    "counsellor_a",
    "counsellor_b",
    "manager_a",
    "shelter_worker_a",
    "coordinator",
    "policy_officer",
    "auditor",
    "volunteer",
    "admin",
]
READERS = {"manager_a", "policy_officer", "auditor", "admin"}
WRITERS = {"policy_officer", "admin"}


def _dataset(actor, branches=(), title="CEDAW annex", generate=True):
    dataset = dataset_services.dataset_create(
        actor=actor,
        title=title,
        period_from=TODAY,
        period_to=TODAY,
        dimensions=["nationality", "risk_level"],
        measures=["clients", "cases"],
        branches=list(branches),
        generate=False,
    )
    if generate:
        dataset_services.dataset_request_generation(actor=actor, dataset=dataset)
        generate_dataset.apply(args=[dataset.pk]).get()
        dataset.refresh_from_db()
    return dataset


def consenting_women(make_case, n=5):
    """n women at SEO who consented to statistics: enough for a dataset with k=5."""
    from counselling.models import ConsentPurpose
    from counselling.services import consent_record

    for i in range(n):
        case = make_case(name_romanised=f"Nguyen Van Hoa {i}")
        consent_record(
            actor=case.created_by,
            client=case.client,
            purpose=ConsentPurpose.STATISTICS,
            given=True,
            explanation_language="vi",
        )


@pytest.fixture
def datasets(personas, branch_a, branch_b, make_case):
    consenting_women(make_case)
    officer = personas.policy_officer
    return {
        "seoul": _dataset(officer, [branch_a], title="Seoul only"),
        "two": _dataset(officer, [branch_a, branch_b], title="Seoul and Busan"),
        "all": _dataset(officer, title="All branches"),
    }


def api(persona, personas):
    return verified_client(getattr(personas, persona))


def _json(client, method, url, data=None):
    if method == "get":
        return client.get(url)
    return client.post(url, data or {}, content_type="application/json")


# --- REST API --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_list_and_retrieve_per_persona(persona, personas, datasets):
    client = api(persona, personas)
    response = client.get(f"{API}/")
    if persona not in READERS:
        assert response.status_code == 403
        assert client.get(f"{API}/{datasets['seoul'].pk}/").status_code == 403
        return
    assert response.status_code == 200
    titles = {row["title"] for row in response.json()["results"]}
    if persona == "manager_a":
        assert titles == {"Seoul only"}
        assert client.get(f"{API}/{datasets['two'].pk}/").status_code == 404
        assert client.get(f"{API}/{datasets['all'].pk}/").status_code == 404
    else:
        assert titles == {"Seoul only", "Seoul and Busan", "All branches"}
    detail = client.get(f"{API}/{datasets['seoul'].pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["status"] == "generated"
    assert set(body["tables"]) == {"clients", "cases"}
    assert "Nguyen" not in detail.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.READ,
        object_id=str(datasets["seoul"].pk),
        actor=getattr(personas, persona),
    ).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_create_generate_publish_per_persona(persona, personas, datasets):
    client = api(persona, personas)
    payload = {
        "title": "CERD follow-up",
        "period_from": f"{TODAY:%Y-%m}-01",
        "period_to": f"{TODAY:%Y-%m-%d}",
        "dimensions": ["case_type"],
        "measures": ["clients"],
    }
    created = _json(client, "post", f"{API}/", payload)
    target = datasets["seoul"]
    generate = _json(client, "post", f"{API}/{target.pk}/generate/")
    if persona in WRITERS:
        assert created.status_code == 201, created.content
        assert created.json()["status"] == "queued"
        assert created.json()["min_cell_size"] == 5
        assert generate.status_code == 202
        generate_dataset.apply(args=[target.pk]).get()
        published = _json(client, "post", f"{API}/{target.pk}/publish/")
        assert published.status_code == 200
        assert published.json()["status"] == "published"
        again = _json(client, "post", f"{API}/{target.pk}/generate/")
        assert again.status_code == 400
        assert again.json()["error"]["code"] == "invalid"
    else:
        assert created.status_code == 403
        assert generate.status_code == 403
        assert _json(client, "post", f"{API}/{target.pk}/publish/").status_code == 403
        assert not StatisticsDataset.objects.filter(title="CERD follow-up").exists()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "docx"])
def test_api_export_per_persona_is_audited(persona, file_format, personas, datasets):
    client = api(persona, personas)
    target = datasets["seoul"]
    response = client.get(f"{API}/{target.pk}/export/{file_format}/")
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(target.pk))
    if persona not in READERS:
        assert response.status_code == 403
        assert not exports.exists()
        return
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="hamkke-statistics-{target.pk}.{file_format}"'
    )
    assert exports.get().reason == file_format
    if persona == "manager_a":
        other = client.get(f"{API}/{datasets['two'].pk}/export/{file_format}/")
        assert other.status_code == 404


def test_api_bad_input_is_a_clear_400(personas):
    client = api("policy_officer", personas)
    cases = [
        ({"dimensions": ["name"]}, "dimensions"),
        ({"dimensions": ["year", "branch", "age_band"]}, "dimensions"),
        ({"dimensions": ["year", "year"]}, "dimensions"),
        ({"min_cell_size": 2}, "min_cell_size"),
        ({"measures": []}, "measures"),
        ({"period_to": "2020-01-01"}, "period_to"),
        ({"title": ""}, "title"),
    ]
    base = {
        "title": "Bad",
        "period_from": "2025-01-01",
        "period_to": "2025-12-31",
        "dimensions": ["year"],
        "measures": ["clients"],
    }
    for change, field in cases:
        response = _json(client, "post", f"{API}/", {**base, **change})
        assert response.status_code == 400, (change, response.content)
        named = response.json()["error"]["fields"]
        assert any(name.split(".")[0] == field for name in named), (change, named)
    assert not StatisticsDataset.objects.exists()


def test_api_export_of_a_dataset_without_tables_is_a_400(personas):
    dataset = _dataset(personas.policy_officer, generate=False)
    response = api("policy_officer", personas).get(f"{API}/{dataset.pk}/export/csv/")
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_api_filters(personas, datasets):
    client = api("policy_officer", personas)
    dataset_services.dataset_publish(actor=personas.policy_officer, dataset=datasets["two"])

    def titles(query):
        return {row["title"] for row in client.get(f"{API}/?{query}").json()["results"]}

    assert titles("status=published") == {"Seoul and Busan"}
    assert titles("q=busan") == {"Seoul and Busan"}
    assert titles(f"branch={datasets['two'].branches.get(code='BUS').pk}") == {"Seoul and Busan"}
    assert titles("period_to=2000-01-01") == set()
    assert client.get(f"{API}/?status=nonsense").status_code == 400


def test_api_list_query_count_does_not_grow(personas, branch_a):
    client = api("manager_a", personas)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/").status_code == 200
        return len(captured)

    for n in range(3):
        _dataset(personas.policy_officer, [branch_a], title=f"a{n}", generate=False)
    few = count()
    for n in range(6):
        _dataset(personas.policy_officer, [branch_a], title=f"b{n}", generate=False)
    assert count() == few


# --- Screens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_screens_per_persona(persona, personas, datasets):
    client = verified_client(getattr(personas, persona))
    seoul = datasets["seoul"]
    pages = {
        "list": "/policy/statistics/",
        "detail": f"/policy/statistics/{seoul.pk}/",
        "export": f"/policy/statistics/{seoul.pk}/export/xlsx/",
        "status": f"/policy/statistics/{seoul.pk}/status/",
    }
    new = client.get("/policy/statistics/new/")
    if persona not in READERS:
        for url in pages.values():
            assert client.get(url).status_code == 404, url
        assert new.status_code == 404
        assert client.post(f"/policy/statistics/{seoul.pk}/generate/").status_code == 404
        assert client.post(f"/policy/statistics/{seoul.pk}/publish/").status_code == 404
        return
    for name, url in pages.items():
        assert client.get(url).status_code == 200, name
    generate = client.post(f"/policy/statistics/{seoul.pk}/generate/")
    if persona in WRITERS:
        assert new.status_code == 200
        assert generate.status_code == 302
    else:
        assert new.status_code == 403
        assert generate.status_code == 403
    if persona == "manager_a":
        assert client.get(f"/policy/statistics/{datasets['two'].pk}/").status_code == 404
        assert client.get(f"/policy/statistics/{datasets['all'].pk}/").status_code == 404


def test_create_through_the_form_then_generate_and_publish(personas, make_case, branch_a):
    consenting_women(make_case)
    client = verified_client(personas.policy_officer)
    response = client.post(
        "/policy/statistics/new/",
        {
            "title": "UPR 4th cycle",
            "purpose": "Annex",
            "period_from": f"{TODAY:%Y-%m}",
            "period_to": f"{TODAY:%Y-%m}",
            "period_basis": "served",
            "branches": [branch_a.pk],
            "rows": "case_type",
            "columns": "risk_level",
            "measures": ["clients", "sessions"],
            "min_cell_size": 5,
        },
    )
    dataset = StatisticsDataset.objects.get(title="UPR 4th cycle")
    assert response.status_code == 302
    assert response["Location"] == f"/policy/statistics/{dataset.pk}/"
    assert dataset.status == DatasetStatus.QUEUED
    assert dataset.dimensions == ["case_type", "risk_level"]
    queued = client.get(f"/policy/statistics/{dataset.pk}/")
    assert 'hx-trigger="every 2s"' in queued.content.decode()
    generate_dataset.apply(args=[dataset.pk]).get()
    status = client.get(f"/policy/statistics/{dataset.pk}/status/")
    assert status["HX-Refresh"] == "true"
    page = client.get(f"/policy/statistics/{dataset.pk}/").content.decode()
    assert 'id="dataset-chart-data" type="application/json"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    # Strict CSP: no inline script or style.
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)
    assert "style=" not in page
    assert client.post(f"/policy/statistics/{dataset.pk}/publish/").status_code == 302
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.PUBLISHED


def test_form_errors_are_shown_and_nothing_is_saved(personas):
    client = verified_client(personas.policy_officer)
    response = client.post(
        "/policy/statistics/new/",
        {
            "title": "",
            "period_from": "2025-13",
            "period_to": "2025-01",
            "period_basis": "served",
            "rows": "year",
            "columns": "year",
            "measures": [],
            "min_cell_size": 1,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"title", "period_from", "columns", "measures", "min_cell_size"} <= set(form.errors)
    assert not StatisticsDataset.objects.exists()


def test_list_page_query_count_does_not_grow(personas):
    client = verified_client(personas.policy_officer)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/policy/statistics/").status_code == 200
        return len(captured)

    for n in range(3):
        _dataset(personas.policy_officer, title=f"a{n}", generate=False)
    few = count()
    for n in range(6):
        _dataset(personas.policy_officer, title=f"b{n}", generate=False)
    assert count() == few


def test_home_page_panel_for_readers_only(personas, datasets):
    page = verified_client(personas.policy_officer).get("/accounts/dashboard/")
    assert "/policy/statistics/" in page.content.decode()
    page = verified_client(personas.counsellor_a).get("/accounts/dashboard/")
    assert "/policy/statistics/" not in page.content.decode()


def test_schema_describes_the_statistics_api(personas):
    import yaml
    from openapi_spec_validator import validate

    schema = yaml.safe_load(verified_client(personas.admin).get("/api/schema/").content)
    validate(schema)
    for path in (
        "/api/v1/statistics-datasets/",
        "/api/v1/statistics-datasets/{id}/",
        "/api/v1/statistics-datasets/{id}/generate/",
        "/api/v1/statistics-datasets/{id}/publish/",
        "/api/v1/statistics-datasets/{id}/export/{file_format}/",
    ):
        assert path in schema["paths"], path
