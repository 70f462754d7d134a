"""Hotline calls: the phone-number guard, who sees which call (branch for an
unlinked one, the case's rule once linked), linking and unlinking (audited),
the screens, the case panel, the retention of unlinked calls, her copy and
the scrubber."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from counselling.hotline import services
from counselling.hotline.identifiers import PHONE_WARNING, looks_like_phone_number
from counselling.hotline.models import HotlineCall
from counselling.hotline.subject import calls_for_subject_access
from counselling.retention import registry as retention_registry
from counselling.rights import registry as rights_registry
from ngo import access
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import verified_client


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def call_a(personas, branch_a):
    return services.call_record(
        actor=personas.counsellor_a,
        branch=branch_a,
        started_at=at(date(2025, 3, 4)),
        topics=["domestic_violence"],
        language="vi",
        advice="Told her about 1366.",
    )


@pytest.mark.parametrize(
    "text",
    [
        "call her back on 010-1234-5678",
        "01012345678",
        "office 02-123-4567",
        "051 123 4567",
        "+82 10 1234 5678",
        "id 123 456 789",
        "number 1234.5678.90",
    ],
)
def test_phone_numbers_are_recognised(text):
    assert looks_like_phone_number(text)


@pytest.mark.parametrize(
    "text",
    ["", None, "hearing on 2026-12-01", "1366 and 112", "came 3 times, 45 minutes", "KRW 300000"],
)
def test_ordinary_advice_is_not_taken_for_a_phone_number(text):
    assert not looks_like_phone_number(text)


def test_advice_with_a_phone_number_is_refused_unless_confirmed(personas, branch_a):
    with pytest.raises(ValidationError) as refused:
        services.call_record(
            actor=personas.counsellor_a, branch=branch_a, advice="Her number: 010-9876-5432"
        )
    assert refused.value.message_dict["advice"] == [str(PHONE_WARNING)]
    assert not HotlineCall.objects.exists()
    call = services.call_record(
        actor=personas.counsellor_a,
        branch=branch_a,
        advice="Shelter line 010-9876-5432 (the shelter's, not hers)",
        confirm_no_identifier=True,
    )
    assert call.advice.startswith("Shelter line")


def test_an_update_of_the_advice_is_checked_too(call_a, personas):
    with pytest.raises(ValidationError):
        services.call_update(actor=personas.counsellor_a, call=call_a, advice="+82 2 123 4567")
    call_a.refresh_from_db()
    assert call_a.advice == "Told her about 1366." and call_a.version == 1
    services.call_update(actor=personas.counsellor_a, call=call_a, duration_minutes=20)
    call_a.refresh_from_db()
    assert call_a.duration_minutes == 20 and call_a.version == 2


def test_a_call_is_recorded_at_her_own_branch_only(personas, branch_b):
    with pytest.raises(ValidationError) as refused:
        services.call_record(actor=personas.counsellor_a, branch=branch_b)
    assert "branch" in refused.value.message_dict


def test_an_unlinked_call_is_seen_by_the_branch_staff_only(call_a, personas):
    seeing = {
        name
        for name, user in personas.all().items()
        if access.scope(user, HotlineCall).filter(pk=call_a.pk).exists()
    }
    assert seeing == {"counsellor_a", "manager_a", "shelter_worker_a", "admin"}
    writers = {
        name for name, user in personas.all().items() if access.can(user, call_a, access.Need.WRITE)
    }
    assert writers == {"counsellor_a", "manager_a", "admin"}


def test_a_linked_call_follows_its_case(call_a, make_case, personas):
    case = make_case(restricted=True, assigned=[personas.counsellor_a])
    other = verified_client(personas.shelter_worker_a)
    assert other.get(f"/counselling/hotline/{call_a.pk}/").status_code == 200
    services.call_link(actor=personas.counsellor_a, call=call_a, case=case)
    call_a.refresh_from_db()
    assert call_a.case == case and call_a.version == 2
    # The restricted case hides its call from the shelter worker of the same branch.
    assert other.get(f"/counselling/hotline/{call_a.pk}/").status_code == 404
    assert (
        verified_client(personas.counsellor_b).get(f"/counselling/hotline/{call_a.pk}/").status_code
        == 404
    )
    services.call_unlink(actor=personas.counsellor_a, call=call_a)
    assert other.get(f"/counselling/hotline/{call_a.pk}/").status_code == 200
    reasons = list(
        AuditEvent.objects.filter(object_type="hotline.hotlinecall", action=AuditAction.UPDATE)
        .order_by("pk")
        .values_list("reason", flat=True)
    )
    assert reasons == ["link", "unlink"]
    assert AuditEvent.objects.filter(
        object_type="hotline.hotlinecall", action=AuditAction.CREATE, object_id=str(call_a.pk)
    ).exists()


def test_a_call_linked_elsewhere_is_not_linked_again(call_a, make_case, personas):
    first, second = make_case(), make_case()
    services.call_link(actor=personas.counsellor_a, call=call_a, case=first)
    with pytest.raises(ValidationError):
        services.call_link(actor=personas.counsellor_a, call=call_a, case=second)


def test_the_new_call_form_warns_about_a_phone_number(personas, branch_a):
    client = verified_client(personas.counsellor_a)
    form = {
        "branch": branch_a.pk,
        "started_at": "2025-03-04T10:15",
        "duration_minutes": "12",
        "language": "vi",
        "interpreter": "phone",
        "caller_kind": "herself",
        "topics": ["domestic_violence", "residence"],
        "risk": "some",
        "advice": "Call back 010-2222-3333",
        "referrals": ["1366"],
        "wants_to_come_in": "yes",
    }
    response = client.post("/counselling/hotline/new/", form)
    assert response.status_code == 200
    assert response.context["form"].errors["advice"] == [str(PHONE_WARNING)]
    assert not HotlineCall.objects.exists()
    response = client.post("/counselling/hotline/new/", {**form, "confirm_no_identifier": "on"})
    call = HotlineCall.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{call.pk}/")
    assert call.topics == ["domestic_violence", "residence"] and call.interpreter == "phone"
    assert call.staff == personas.counsellor_a and call.branch == branch_a


def test_the_new_call_form_refuses_bad_input(personas, branch_a):
    response = verified_client(personas.counsellor_a).post(
        "/counselling/hotline/new/",
        {"branch": branch_a.pk, "started_at": "soon", "duration_minutes": "0", "topics": ["x"]},
    )
    assert response.status_code == 200
    assert not HotlineCall.objects.exists()
    assert response.context["form"].errors.keys() >= {"started_at", "duration_minutes", "topics"}


def test_the_edit_form_keeps_the_version(call_a, personas):
    client = verified_client(personas.counsellor_a)
    page = client.get(f"/counselling/hotline/{call_a.pk}/edit/")
    assert page.status_code == 200
    data = {
        "version": "1",
        "started_at": "2025-03-04T10:00",
        "duration_minutes": "30",
        "language": "vi",
        "interpreter": "none",
        "caller_kind": "herself",
        "topics": ["domestic_violence"],
        "risk": "none",
        "advice": "Told her about 1366.",
        "wants_to_come_in": "maybe",
    }
    services.call_update(actor=personas.manager_a, call=call_a, duration_minutes=7)
    stale = client.post(f"/counselling/hotline/{call_a.pk}/edit/", data)
    assert stale.status_code == 200 and stale.context["form"].non_field_errors()
    saved = client.post(f"/counselling/hotline/{call_a.pk}/edit/", {**data, "version": "2"})
    assert saved.status_code == 302
    call_a.refresh_from_db()
    assert call_a.duration_minutes == 30 and call_a.version == 3


def test_the_list_filters_and_costs_the_same_queries_for_more_calls(personas, branch_a):
    client = verified_client(personas.counsellor_a)

    def add(n, **values):
        for i in range(n):
            services.call_record(
                actor=personas.counsellor_a,
                branch=branch_a,
                started_at=at(date(2025, 5, 1 + i)),
                **values,
            )

    add(2, topics=["labour"], risk="immediate")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/counselling/hotline/").status_code == 200
    add(6, topics=["health"], language="mn", wants_to_come_in="yes")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/counselling/hotline/")
    assert len(response.context["calls"]) == 8
    assert len(many) == len(few)
    filtered = client.get("/counselling/hotline/?topic=labour&risk=immediate")
    assert len(filtered.context["calls"]) == 2
    assert len(client.get("/counselling/hotline/?language=mn").context["calls"]) == 6
    dated = client.get("/counselling/hotline/?date_from=2025-05-02&date_until=2025-05-03")
    assert len(dated.context["calls"]) == 3  # one of the first two, two of the six
    bad = client.get("/counselling/hotline/?date_from=yesterday&risk=huge")
    assert bad.status_code == 200 and bad.context["filter_form"].errors


def test_the_other_branch_sees_nothing_of_the_list(call_a, personas):
    response = verified_client(personas.counsellor_b).get("/counselling/hotline/")
    assert list(response.context["calls"]) == []
    assert verified_client(personas.coordinator).get("/counselling/hotline/").status_code == 404


def test_the_case_panel_lists_and_links_calls(call_a, make_case, personas):
    case = make_case()
    client = verified_client(personas.counsellor_a)
    page = client.get(f"/counselling/cases/{case.pk}/")
    assert page.status_code == 200
    # The branch's unlinked calls are fetched when the link form is opened.
    assert f"/counselling/cases/{case.pk}/form/hotline-call/" in page.content.decode()
    choices = client.get(f"/counselling/cases/{case.pk}/form/hotline-call/")
    assert f'value="{call_a.pk}"' in choices.content.decode()
    response = client.post(f"/counselling/hotline/cases/{case.pk}/link-call/", {"call": call_a.pk})
    assert response.status_code == 302
    call_a.refresh_from_db()
    assert call_a.case == case
    assert (
        f"/counselling/hotline/{call_a.pk}/"
        in client.get(f"/counselling/cases/{case.pk}/").content.decode()
    )


def test_linking_from_the_call_takes_her_case_code(call_a, make_case, personas):
    case = make_case()
    client = verified_client(personas.counsellor_a)
    wrong = client.post(f"/counselling/hotline/{call_a.pk}/link/", {"link-case_code": "NOPE-1"})
    assert wrong.status_code == 200 and wrong.context["link_form"].errors["case_code"]
    response = client.post(
        f"/counselling/hotline/{call_a.pk}/link/", {"link-case_code": case.client.case_code}
    )
    assert response.status_code == 302
    call_a.refresh_from_db()
    assert call_a.case == case
    assert client.post(f"/counselling/hotline/{call_a.pk}/unlink/").status_code == 302
    call_a.refresh_from_db()
    assert call_a.case is None


def test_a_case_of_another_branch_cannot_be_linked(call_a, make_case, personas):
    other = make_case(actor=personas.counsellor_b)
    client = verified_client(personas.counsellor_a)
    response = client.post(f"/counselling/hotline/cases/{other.pk}/link-call/", {"call": call_a.pk})
    assert response.status_code == 404
    call_a.refresh_from_db()
    assert call_a.case is None


def test_unlinked_calls_are_deleted_after_their_period_linked_ones_stay(
    personas, branch_a, make_case, settings
):
    settings.HOTLINE_UNLINKED_CALL_YEARS = 2
    old = services.call_record(
        actor=personas.counsellor_a, branch=branch_a, started_at=at(date(2020, 1, 5))
    )
    recent = services.call_record(
        actor=personas.counsellor_a, branch=branch_a, started_at=at(date(2023, 6, 1))
    )
    linked = services.call_record(
        actor=personas.counsellor_a, branch=branch_a, started_at=at(date(2020, 1, 5))
    )
    services.call_link(actor=personas.counsellor_a, call=linked, case=make_case())
    assert services.calls_purge_unlinked(today=date(2024, 1, 10)) == 1
    assert set(HotlineCall.objects.values_list("pk", flat=True)) == {recent.pk, linked.pk}
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_id=str(old.pk), reason="retention"
    ).exists()
    assert services.calls_purge_unlinked(today=date(2024, 1, 10)) == 0


def test_her_copy_and_her_destruction_cover_linked_calls(call_a, make_case, personas):
    case = make_case()
    services.call_link(actor=personas.counsellor_a, call=call_a, case=case)
    assert HotlineCall in rights_registry.covered_models()
    assert "hotline" in retention_registry.covered_apps()
    rows = calls_for_subject_access(case.client)
    assert len(rows) == 1 and "Told her about 1366." in rows[0].values()
    assert services.scrub_calls_for_client(case.client) == {"hotline.HotlineCall": 1}
    call_a.refresh_from_db()
    assert call_a.advice is None and call_a.topics == ["domestic_violence"]
    assert call_a.started_at == at(date(2025, 3, 4))
