"""Forms whose choices come from the database (staff, organisations, branches,
unlinked calls, her documents) are not drawn with the case and client pages:
each page holds a placeholder that fetches the form's fields when she opens it.
A form that comes back with errors is drawn, bound, in the page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counselling import selectors, services
from counselling.hotline import services as hotline_services
from counselling.transfers import services as transfer_services
from ngo import access
from ngo.access import Need
from ngo.directory.models import Organisation
from tests.conftest import verified_client

CASE_FORMS = ("assign", "referral", "service", "transfer", "hotline-call")


def _fields(browser, case, form):
    return browser.get(reverse("counselling:case_form", args=[case.pk, form]))


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def test_the_case_page_holds_a_placeholder_for_each_form_with_choices(personas, make_case):
    Organisation.objects.create(name_en="Seoul Medical Centre", kind="hospital")
    case = make_case()
    page = verified_client(personas.counsellor_a).get(
        reverse("counselling:case_detail", args=[case.pk])
    )
    html = page.content.decode()
    for form in CASE_FORMS:
        assert f'hx-get="{reverse("counselling:case_form", args=[case.pk, form])}"' in html, form
    # No option of a choice list is drawn: not the organisation, not the staff.
    assert "Seoul Medical Centre" not in html
    assert 'name="assign-assigned"' not in html
    assert 'name="referral-organisation"' not in html


def test_each_form_brings_its_choices_when_opened(personas, make_case, branch_a):
    hospital = Organisation.objects.create(name_en="Seoul Medical Centre", kind="hospital")
    call = hotline_services.call_record(
        actor=personas.counsellor_a,
        branch=branch_a,
        started_at=datetime(2025, 3, 4, 1, 0, tzinfo=UTC),
        topics=["domestic_violence"],
    )
    case = make_case()
    browser = verified_client(personas.counsellor_a)

    assign = _fields(browser, case, "assign").content.decode()
    assert 'name="assign-assigned"' in assign
    assert f'value="{personas.counsellor_a.pk}"' in assign and "checked" in assign
    referral = _fields(browser, case, "referral").content.decode()
    assert f'<option value="{hospital.pk}">' in referral and "Seoul Medical Centre" in referral
    service = _fields(browser, case, "service").content.decode()
    assert 'name="service-kind"' in service and "Seoul Medical Centre" in service
    transfer = _fields(browser, case, "transfer").content.decode()
    assert 'name="to_branch"' in transfer
    assert f'<option value="{branch_a.pk}"' not in transfer  # not her own branch
    linked = _fields(browser, case, "hotline-call").content.decode()
    assert f'<option value="{call.pk}">' in linked
    # A fragment, not a page.
    assert "<html" not in assign and "<nav" not in referral


def test_the_choice_lists_cost_the_case_page_nothing(personas, make_case):
    case = make_case()
    browser = verified_client(personas.counsellor_a)
    page = reverse("counselling:case_detail", args=[case.pk])
    browser.get(page)
    few = _queries(browser, page)
    for number in range(40):
        Organisation.objects.create(name_en=f"Organisation {number}", kind="hospital")
    assert _queries(browser, page) == few


def test_only_those_who_may_write_the_case_get_its_forms(personas, make_case):
    case = make_case()
    # The shelter worker reads the case of her branch but does not write it.
    reader = verified_client(personas.shelter_worker_a)
    assert reader.get(reverse("counselling:case_detail", args=[case.pk])).status_code == 200
    assert _fields(reader, case, "referral").status_code == 403
    # Another branch's counsellor does not learn that the case exists.
    assert _fields(verified_client(personas.counsellor_b), case, "referral").status_code == 404
    # A form that is not one of the page's.
    writer = verified_client(personas.counsellor_a)
    assert _fields(writer, case, "no-such-form").status_code == 404
    assert (
        writer.post(reverse("counselling:case_form", args=[case.pk, "assign"])).status_code == 405
    )


def test_no_transfer_form_for_a_case_already_on_its_way(personas, make_case, branch_b):
    case = make_case()
    browser = verified_client(personas.counsellor_a)
    assert _fields(browser, case, "transfer").status_code == 200
    transfer_services.transfer_request(
        actor=personas.counsellor_a, case=case, to_branch=branch_b, reason="She moved to Busan."
    )
    assert _fields(browser, case, "transfer").status_code == 404


def test_a_branch_without_unlinked_calls_says_so(personas, make_case):
    case = make_case()
    linked = _fields(verified_client(personas.counsellor_a), case, "hotline-call")
    assert linked.status_code == 200
    assert 'name="call"' not in linked.content.decode()
    assert "연결되지 않은 상담전화가 없습니다" in linked.content.decode()


def test_a_form_with_errors_is_drawn_in_the_page_with_its_choices(personas, make_case):
    Organisation.objects.create(name_en="Seoul Medical Centre", kind="hospital")
    case = make_case()
    browser = verified_client(personas.counsellor_a)
    response = browser.post(reverse("counselling:referral_add", args=[case.pk]), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["referral_form"].errors["organisation"]
    assert 'name="referral-organisation"' in html and "Seoul Medical Centre" in html
    assert 'id="referral-form" class="collapse show' in html
    assert (
        'hx-get="{}"'.format(reverse("counselling:case_form", args=[case.pk, "referral"]))
        not in html
    )


def test_the_client_page_fetches_her_consent_and_case_forms(personas, make_case):
    case = make_case()
    client = case.client
    browser = verified_client(personas.counsellor_a)
    html = browser.get(reverse("counselling:client_detail", args=[client.pk])).content.decode()
    for form in ("consent", "case"):
        url = reverse("counselling:client_form", args=[client.pk, form])
        assert f'hx-get="{url}"' in html
    assert 'name="case-assigned"' not in html and 'name="consent-signed_form"' not in html
    consent = browser.get(reverse("counselling:client_form", args=[client.pk, "consent"]))
    assert 'name="consent-signed_form"' in consent.content.decode()
    opened = browser.get(reverse("counselling:client_form", args=[client.pk, "case"]))
    assert f'value="{personas.counsellor_a.pk}"' in opened.content.decode()
    reader = verified_client(personas.shelter_worker_a)
    assert (
        reader.get(reverse("counselling:client_form", args=[client.pk, "case"])).status_code == 403
    )
    other = verified_client(personas.counsellor_b)
    assert (
        other.get(reverse("counselling:client_form", args=[client.pk, "case"])).status_code == 404
    )


@pytest.mark.parametrize("who", ["counsellor_a", "shelter_worker_a"])
def test_the_page_knows_whether_she_may_write_from_the_case_it_read(personas, make_case, who):
    case = make_case()
    user = getattr(personas, who)
    fetched = access.get_for_user(
        user, selectors.case_queryset(), case.pk, Need.READ, knowing=Need.WRITE
    )
    with CaptureQueriesContext(connection) as captured:
        may_write = access.can(user, fetched, Need.WRITE)
    assert len(captured) == 0
    assert may_write is (who == "counsellor_a")
    assert may_write is access.can(user, case, Need.WRITE)  # the rule, asked on its own
    services.case_assign(actor=personas.counsellor_a, case=case, users=[personas.manager_a])
    # Another person with the same record in hand asks the rule herself.
    with CaptureQueriesContext(connection) as captured:
        access.can(personas.manager_a, fetched, Need.WRITE)
    assert len(captured) == 1
