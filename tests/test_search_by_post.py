"""Nothing identifying in an address: a search by name or phone number is a
POST, on the screens and in the API; a `?q=` is not searched."""

import re

import pytest
from django.urls import reverse

from tests.conftest import content_of

NAME = "Tran Thi Lan"
PHONE = "010-9876-5432"


@pytest.fixture
def women(make_case, personas):
    """Lan and Hoa at Seoul (branch A), Mai at Busan (branch B)."""
    return {
        "lan": make_case(name_romanised=NAME, phone=PHONE),
        "hoa": make_case(name_romanised="Nguyen Thi Hoa"),
        "mai": make_case(actor=personas.counsellor_b, name_romanised="Tran Thi Mai"),
    }


def _addresses(response) -> list[str]:
    """Every address a response hands out: its Location and its page's links."""
    found = [response.get("Location", "")]
    if response.get("Content-Type", "").startswith("text/html"):
        found += re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode())
    return found


def _no_name_in(addresses):
    for address in addresses:
        assert "Tran" not in address and "9876" not in address and "q=" not in address, address


# --- The caseload screen --------------------------------------------------------------


def test_the_caseload_search_posts_and_keeps_the_term_out_of_every_address(login, personas, women):
    browser = login(personas.manager_a)
    posted = browser.post(reverse("counselling:caseload"), {"q": NAME, "status": "intake"})
    assert posted.status_code == 302
    _no_name_in(_addresses(posted))
    assert posted["Location"] == reverse("counselling:caseload") + "?status=intake"
    page = browser.get(posted["Location"])
    body = page.content.decode()
    assert women["lan"].client.case_code in body
    assert women["hoa"].client.case_code not in body
    # The term is in the form's body, and no link or form address carries it.
    assert f'value="{NAME}"' in body
    _no_name_in(_addresses(page))


def test_the_caseload_keeps_the_search_over_its_pages_and_exports(login, personas, women):
    browser = login(personas.manager_a)
    browser.post(reverse("counselling:caseload"), {"q": PHONE})
    export = browser.get(reverse("counselling:caseload_export", args=["csv"]))
    rows = content_of(export).decode()
    assert women["lan"].client.case_code in rows
    assert women["hoa"].client.case_code not in rows
    cleared = browser.post(reverse("counselling:caseload"), {"clear": "1"})
    assert cleared["Location"] == reverse("counselling:caseload")
    body = browser.get(cleared["Location"]).content.decode()
    assert women["hoa"].client.case_code in body


def test_a_name_in_the_caseload_address_is_not_searched(login, personas, women):
    browser = login(personas.manager_a)
    response = browser.get(
        reverse("counselling:caseload"), {"q": NAME, "status": "intake"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("counselling:caseload") + "?status=intake"
    page = browser.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "never searched from the address" in body
    assert women["hoa"].client.case_code in body  # not narrowed down to Lan
    export = browser.get(reverse("counselling:caseload_export", args=["csv"]), {"q": NAME})
    assert export.status_code == 302 and "Tran" not in export["Location"]


# --- The API --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "list_name, search_name",
    [("api:client-list", "api:client-search"), ("api:case-list", "api:case-search")],
)
def test_the_api_refuses_a_name_in_the_address_and_says_to_post_it(
    login, personas, women, list_name, search_name
):
    api = login(personas.counsellor_a)
    response = api.get(reverse(list_name), {"q": NAME}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["q"][0]
    assert f"POST {reverse(search_name)}" in message
    korean = api.get(reverse(list_name), {"q": NAME}, HTTP_ACCEPT_LANGUAGE="ko")
    assert "주소" in korean.json()["error"]["fields"]["q"][0]


def test_the_api_search_finds_her_by_name_or_phone_within_the_counsellors_scope(
    login, personas, women
):
    api = login(personas.counsellor_a)
    url = reverse("api:client-search")
    found = api.post(url, {"q": "Tran Thi"}, content_type="application/json").json()
    assert [row["case_code"] for row in found["results"]] == [women["lan"].client.case_code]
    by_phone = api.post(url, {"q": PHONE}, content_type="application/json").json()
    assert [row["id"] for row in by_phone["results"]] == [women["lan"].client.pk]
    # Mai, at the other branch, is found by her own branch's counsellor only.
    other = login(personas.counsellor_b).post(
        url, {"q": "Tran Thi"}, content_type="application/json"
    )
    assert [row["id"] for row in other.json()["results"]] == [women["mai"].client.pk]


def test_the_api_search_takes_the_other_filters_and_pages_without_the_term(
    login, personas, women, make_case
):
    make_case(name_romanised="Tran Thi Binh")
    api = login(personas.counsellor_a)
    response = api.post(
        reverse("api:case-search") + "?page_size=1",
        {"q": "Tran Thi", "status": ["intake"], "restricted": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2
    assert "page=2" in page["next"]
    _no_name_in([page["next"]])
    bad = api.post(
        reverse("api:case-search"), {"status": ["nonsense"]}, content_type="application/json"
    )
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_the_api_caseload_export_takes_the_search_as_a_post(login, personas, women):
    api = login(personas.manager_a)
    url = reverse("api:case-export-csv")
    assert api.get(url, {"q": NAME}).status_code == 400
    response = api.post(url, {"q": NAME}, content_type="application/json")
    assert response.status_code == 200
    rows = content_of(response).decode()
    assert women["lan"].client.case_code in rows
    assert women["hoa"].client.case_code not in rows
    assert (
        login(personas.counsellor_a).post(url, {}, content_type="application/json").status_code
        == 403
    )


def test_the_staff_list_is_searched_by_post(login, personas):
    api = login(personas.admin)
    refused = api.get(reverse("api:staff-list"), {"q": "manager"})
    assert refused.status_code == 400
    found = api.post(
        reverse("api:staff-search"), {"q": "manager.a"}, content_type="application/json"
    )
    assert [row["email"] for row in found.json()["results"]] == [personas.manager_a.email]
