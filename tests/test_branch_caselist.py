"""The counsellor's case list: her own cases by default, her branch's on the
second tab, with the caseload's filters; restricted cases stay hidden unless
she is assigned, and the page costs the same queries for 2 cases or 25."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counselling.models import Case
from tests.conftest import verified_client

LIST = "/counselling/cases/"


@pytest.fixture
def branch_world(personas, make_case):
    counsellor, colleague = personas.counsellor_a, personas.manager_a
    return {
        "mine": make_case(actor=counsellor, assigned=[counsellor]),
        "colleague": make_case(actor=colleague, assigned=[colleague], case_types=["labour"]),
        "restricted": make_case(actor=colleague, assigned=[colleague], restricted=True),
        "restricted_mine": make_case(
            actor=colleague, assigned=[colleague, counsellor], restricted=True
        ),
        "other_branch": make_case(actor=personas.counsellor_b),
    }


def _codes(response, world):
    html = response.content.decode()
    return {name for name, case in world.items() if f"/counselling/cases/{case.pk}/" in html}


def test_my_cases_is_the_default_tab(personas, branch_world):
    response = verified_client(personas.counsellor_a).get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert _codes(response, branch_world) == {"mine", "restricted_mine"}
    assert re.search(
        r'nav-link active" aria-current="page" href="[^"]*">My cases', response.content.decode()
    )


def test_the_branch_tab_shows_her_branch_but_not_restricted_cases_of_others(personas, branch_world):
    response = verified_client(personas.counsellor_a).get(LIST + "?scope=branch")
    assert _codes(response, branch_world) == {"mine", "colleague", "restricted_mine"}


def test_the_branch_tab_takes_the_caseload_filters(personas, branch_world):
    browser = verified_client(personas.counsellor_a)
    labour = browser.get(LIST + "?scope=branch&case_type=labour")
    assert _codes(labour, branch_world) == {"colleague"}
    by_colleague = browser.get(f"{LIST}?scope=branch&counsellor={personas.manager_a.pk}")
    assert _codes(by_colleague, branch_world) == {"colleague", "restricted_mine"}
    bad = browser.get(LIST + "?scope=branch&opened_from=not-a-date", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200
    assert "Enter a valid date." in bad.content.decode()
    assert _codes(bad, branch_world) == set()


def test_the_search_is_posted_and_keeps_the_tab(personas, branch_world):
    browser = verified_client(personas.counsellor_a)
    code = branch_world["colleague"].client.case_code
    posted = browser.post(LIST, {"q": code, "scope": "branch"})
    assert posted.status_code == 302
    assert posted["Location"] == LIST + "?scope=branch"
    assert _codes(browser.get(posted["Location"]), branch_world) == {"colleague"}
    in_address = browser.get(LIST + f"?q={code}")
    assert in_address.status_code == 302 and code not in in_address["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("counsellor_a", 200),
        ("manager_a", 200),
        ("admin", 200),
        ("shelter_worker_a", 404),
        ("coordinator", 404),
        ("auditor", 404),
        ("volunteer", 404),
    ],
)
def test_who_may_open_the_case_list(personas, persona, status):
    assert verified_client(getattr(personas, persona)).get(LIST).status_code == status


def test_the_index_links_to_the_case_list(personas):
    html = verified_client(personas.counsellor_a).get("/counselling/").content.decode()
    assert f'href="{LIST}"' in html


@pytest.mark.parametrize("scope", ["mine", "branch"])
def test_the_case_list_costs_the_same_queries_for_2_or_25_cases(personas, make_case, scope):
    counsellor = personas.counsellor_a
    browser = verified_client(counsellor)
    path = f"{LIST}?scope={scope}"

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert browser.get(path).status_code == 200
        return len(context.captured_queries)

    for _ in range(2):
        make_case(assigned=[counsellor])
    browser.get(path)
    few = queries()
    for _ in range(23):
        make_case(assigned=[counsellor, personas.manager_a], case_types=["labour", "residence"])
    assert queries() == few
    assert Case.objects.count() == 25
