"""The OpenAPI schema tells the truth: the answers of the API validate against
it, every operation documents its error answers, inputs out of range are a
400 (never a 500), and the schema and the docs are for signed-in staff."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.translation import override
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker

from ngo.accounts import services as account_services
from tests.conftest import verified_client

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def spec():
    with override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


def schema_errors(spec, path: str, method: str, response) -> list[str]:
    """What in the response body the schema of that operation and status does not allow."""
    documented = spec["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, response.status_code
    schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
    # Read: the answer of the API, where every read-only field it lists is required.
    validator = OAS30ReadValidator(
        {**schema, "components": spec["components"]}, format_checker=oas30_format_checker
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]


# --- The schema itself ----------------------------------------------------------------------


def test_schema_generates_without_a_warning(tmp_path):
    # The management command CI would run: --fail-on-warn turns any warning into an error.
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.stat().st_size > 0


def test_enums_that_share_a_field_name_keep_their_own_values(spec):
    # Staff speak Korean or English; a letter's second page is in a client language.
    # Two choice fields called `language` must not share one enum in the schema.
    schemas = spec["components"]["schemas"]
    assert schemas["LanguageEnum"]["enum"] == ["ko", "en"]
    assert "ko" not in schemas["LetterLanguageEnum"]["enum"]
    assert "LanguageEnum" in json.dumps(schemas["Me"]["properties"]["preferred_language"])


def test_every_operation_documents_the_error_answers(spec):
    operations = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]
    assert len(operations) > 150
    error_ref = "#/components/schemas/ApiError"
    for path, method, operation in operations:
        responses = operation["responses"]
        for code in ("400", "401", "403", "404", "405", "406"):
            assert code in responses, (method, path, code)
        assert responses["404"]["content"]["application/json"]["schema"]["$ref"] == error_ref
        if method in ("post", "put", "patch"):
            assert "415" in responses, (method, path)
        assert "500" not in responses


def test_a_throttled_operation_documents_429_and_others_do_not(spec):
    assert "429" in spec["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "429" not in spec["paths"]["/api/v1/cases/"]["get"]["responses"]


def test_an_operation_keeps_the_error_answer_it_documents_itself(spec):
    conflict = spec["paths"]["/api/v1/organisations/"]["post"]["responses"]["409"]
    schema = conflict["content"]["application/json"]["schema"]
    assert schema["$ref"] == "#/components/schemas/DuplicateOrganisationError"


def test_the_error_body_of_the_api_validates_against_the_documented_one(personas, spec):
    response = verified_client(personas.counsellor_a).get("/api/v1/cases/999999/")
    assert response.status_code == 404
    assert schema_errors(spec, "/api/v1/cases/{id}/", "get", response) == []


# --- Sign-in --------------------------------------------------------------------------------


def test_schema_and_docs_refuse_anonymous_visitors(db):
    anonymous = Client()
    assert anonymous.get("/api/schema/").status_code == 403
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/")


def test_schema_and_docs_answer_signed_in_staff(personas):
    browser = verified_client(personas.volunteer)
    assert browser.get("/api/schema/").status_code == 200
    assert browser.get("/api/docs/").status_code == 200


def test_schema_answers_an_api_token(personas):
    key = account_services.issue_api_token(user=personas.policy_officer, name="schema").key
    response = Client().get("/api/schema/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert b"/api/v1/recommendations/" in response.content


def test_schema_refuses_a_session_without_the_second_factor(personas):
    half_signed_in = Client()
    half_signed_in.force_login(personas.counsellor_a)
    assert personas.counsellor_a.needs_two_factor
    assert half_signed_in.get("/api/schema/").status_code == 403


# --- Answers that validate against the schema -----------------------------------------------


def test_a_search_by_post_answers_the_page_of_the_list_its_schema_describes(
    personas, make_case, spec
):
    make_case()
    browser = verified_client(personas.counsellor_a)
    for path in ("/api/v1/cases/search/", "/api/v1/clients/search/"):
        found = browser.post(path, {}, content_type="application/json")
        assert found.status_code == 200
        assert found.json()["count"] >= 1
        assert schema_errors(spec, path, "post", found) == []


def test_an_open_case_with_no_closure_reason_matches_the_schema(personas, make_case, spec):
    case = make_case()
    assert case.closure_reason == ""
    browser = verified_client(personas.counsellor_a)
    one = browser.get(f"/api/v1/cases/{case.pk}/")
    assert one.json()["closure_reason"] == ""
    assert schema_errors(spec, "/api/v1/cases/{id}/", "get", one) == []
    assert schema_errors(spec, "/api/v1/cases/", "get", browser.get("/api/v1/cases/")) == []


def test_an_open_stay_with_no_discharge_destination_matches_the_schema(
    personas, make_case, shelter, spec
):
    from counselling.shelters import services as shelter_services

    case = make_case()
    stay = shelter_services.stay_admit(
        actor=personas.shelter_worker_a, case=case, bed=shelter.test_beds["a"]
    )
    response = verified_client(personas.shelter_worker_a).get(f"/api/v1/stays/{stay.pk}/")
    assert response.json()["destination"] == ""
    assert schema_errors(spec, "/api/v1/stays/{id}/", "get", response) == []


def test_an_organisation_without_e_mail_website_or_authority_type_matches_the_schema(
    personas, spec
):
    from ngo.directory import services as directory_services

    organisation = directory_services.organisation_create(
        actor=personas.coordinator, name_en="Women's Hotline", kind="ngo"
    )
    response = verified_client(personas.counsellor_a).get(
        f"/api/v1/organisations/{organisation.pk}/"
    )
    body = response.json()
    assert (body["email"], body["website"], body["authority_type"]) == ("", "", "")
    assert schema_errors(spec, "/api/v1/organisations/{id}/", "get", response) == []


def test_a_policy_without_a_link_matches_the_schema(personas, policy_world, spec):
    response = verified_client(personas.counsellor_a).get(
        f"/api/v1/policies/{policy_world.plan.pk}/"
    )
    assert response.json()["url"] == ""
    assert schema_errors(spec, "/api/v1/policies/{id}/", "get", response) == []


def test_a_campaign_of_the_centre_alone_has_null_references_and_its_counts(personas, spec):
    from campaigns import services as campaign_services

    campaign = campaign_services.campaign_create(
        actor=personas.coordinator, title="Birth registration for every child"
    )
    browser = verified_client(personas.coordinator)
    one = browser.get(f"/api/v1/campaigns/{campaign.pk}/")
    body = one.json()
    assert (body["coalition"], body["lead_organisation"]) == (None, None)
    assert (body["action_count"], body["open_task_count"]) == (0, 0)
    assert schema_errors(spec, "/api/v1/campaigns/{id}/", "get", one) == []
    listed = browser.get("/api/v1/campaigns/")
    assert schema_errors(spec, "/api/v1/campaigns/", "get", listed) == []


def test_a_coalition_read_alone_has_its_member_count(campaign_world, personas, spec):
    response = verified_client(personas.policy_officer).get(
        f"/api/v1/coalitions/{campaign_world.coalition.pk}/"
    )
    assert response.json()["active_members"] == 1
    assert schema_errors(spec, "/api/v1/coalitions/{id}/", "get", response) == []


# --- Bad input is a 400 with a message --------------------------------------------------------


def test_a_case_event_in_the_year_806_is_refused_in_both_languages(personas, make_case):
    case = make_case()
    browser = verified_client(personas.counsellor_a)
    body = {"case": case.pk, "kind": "court_hearing", "starts_at": "0806-05-01T10:00:00+09:00"}
    english = browser.post("/api/v1/case-events/", body, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert english.json()["error"]["fields"]["starts_at"] == [
        "Enter a date and time between the years 1900 and 2100."
    ]
    korean = browser.post("/api/v1/case-events/", body, HTTP_ACCEPT_LANGUAGE="ko")
    assert korean.status_code == 400
    assert "1900" in korean.json()["error"]["fields"]["starts_at"][0]
    assert (
        korean.json()["error"]["fields"]["starts_at"][0]
        != english.json()["error"]["fields"]["starts_at"][0]
    )
    assert not case.events.exists()


def test_a_date_in_the_years_the_centre_works_in_is_accepted(personas, make_case):
    case = make_case()
    starts_at = timezone.now().replace(microsecond=0).isoformat()
    response = verified_client(personas.counsellor_a).post(
        "/api/v1/case-events/", {"case": case.pk, "kind": "court_hearing", "starts_at": starts_at}
    )
    assert response.status_code == 201, response.content


def test_a_stay_admission_in_the_year_2101_is_refused(personas, make_case, shelter):
    case = make_case()
    response = verified_client(personas.shelter_worker_a).post(
        "/api/v1/stays/",
        {
            "case": case.pk,
            "bed": shelter.test_beds["a"].pk,
            "admitted_on": "2101-01-01",
            "expected_leave_on": "2101-02-01",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["admitted_on"] == [
        "Enter a date between the years 1900 and 2100."
    ]


@pytest.mark.parametrize("value", ["-7.340087124801561e+53", "99999999999999999999", "0", "1.5"])
def test_a_record_id_filter_out_of_range_is_a_400(personas, value):
    response = verified_client(personas.counsellor_a).get(
        "/api/v1/children/", {"client": value}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["client"] == [
        "Enter a record id: a whole number from 1."
    ]


def test_a_theme_filter_beyond_any_record_id_is_a_400(personas):
    response = verified_client(personas.policy_officer).get(
        "/api/v1/recommendations/",
        {"theme": ["601157130633505406976", "3"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "theme" in response.json()["error"]["fields"]


# --- The schema check (./hamkke schema-check) -----------------------------------------------


def test_schema_check_reads_its_figures_from_the_schemathesis_summary():
    from ngo.accounts.management.commands.schema_check import _figures

    summary = (
        "API Operations:\n  Selected: 208/208\n  Tested: 207\n...\n"
        "Test cases:\n  1039 generated, 1 found 2 unique failures\n"
    )
    assert _figures(summary) == {"operations": 207, "cases": 1039, "failures": 2}


def test_schema_check_prepares_a_database_only_in_its_own_demo_environment(db, settings, tmp_path):
    from django.core.management.base import CommandError

    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("schema_check", "--prepare", str(tmp_path / "tokens.json"))
    assert not (tmp_path / "tokens.json").exists()
