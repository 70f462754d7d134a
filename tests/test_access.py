"""The access module: deny by default, branch scoping, 404 for other branches."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from ngo import access
from ngo.access import AccessRuleMissing, Need
from ngo.accounts.models import Branch, User
from ngo.accounts.roles import CAPABILITIES, Role
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import verified_client


def test_a_model_without_a_rule_is_refused_not_shown(personas):
    with pytest.raises(AccessRuleMissing):
        access.scope(personas.admin, Group.objects.all())


def test_anonymous_and_inactive_users_see_nothing(personas):
    from django.contrib.auth.models import AnonymousUser

    assert access.scope(AnonymousUser(), Branch).count() == 0
    admin = personas.admin
    admin.is_active = False
    assert access.scope(admin, Branch).count() == 0


def test_every_role_has_a_capability_set_and_a_group(db):
    assert set(CAPABILITIES) == set(Role.values)
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_volunteer_has_no_case_capability():
    from ngo.accounts.roles import Capability

    assert Capability.READ_CASES not in CAPABILITIES[Role.VOLUNTEER]
    assert Capability.READ_SHELTER not in CAPABILITIES[Role.VOLUNTEER]
    assert Capability.READ_CASES not in CAPABILITIES[Role.AUDITOR]


@pytest.mark.parametrize(
    ("persona", "visible_codes"),
    [
        ("counsellor_a", {"SEO"}),
        ("counsellor_b", {"BUS"}),
        ("manager_a", {"SEO"}),
        ("coordinator", {"HQ"}),
        ("auditor", {"SEO", "BUS", "HQ"}),
        ("admin", {"SEO", "BUS", "HQ"}),
    ],
)
def test_branch_list_is_scoped_to_the_persona(personas, persona, visible_codes):
    user = getattr(personas, persona)
    assert set(access.scope(user, Branch).values_list("code", flat=True)) == visible_codes


def test_branch_manager_sees_her_branch_staff_only(personas):
    visible = set(access.scope(personas.manager_a, User))
    assert personas.counsellor_a in visible
    assert personas.shelter_worker_a in visible
    assert personas.counsellor_b not in visible
    assert personas.admin not in visible


def test_counsellor_sees_only_herself_among_staff(personas):
    assert list(access.scope(personas.counsellor_a, User)) == [personas.counsellor_a]


def test_other_branch_record_answers_404_and_is_audited(personas):
    with pytest.raises(Http404):
        access.get_for_user(personas.manager_a, User, personas.counsellor_b.pk)
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert event.actor == personas.manager_a
    assert event.object_type == "accounts.user"
    assert event.object_id == str(personas.counsellor_b.pk)
    assert event.reason == "not_in_scope"


def test_readable_but_not_writable_answers_403(personas):
    with pytest.raises(PermissionDenied):
        access.get_for_user(personas.manager_a, User, personas.counsellor_a.pk, Need.WRITE)
    assert (
        AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, reason="read_only").count()
        == 1
    )


def test_a_successful_detail_read_is_audited(personas):
    obj = access.get_for_user(personas.manager_a, User, personas.counsellor_a.pk)
    assert obj == personas.counsellor_a
    event = AuditEvent.objects.get(action=AuditAction.READ)
    assert (event.actor, event.object_type, event.object_id) == (
        personas.manager_a,
        "accounts.user",
        str(personas.counsellor_a.pk),
    )


def test_garbage_ids_are_404_not_500(personas):
    client = verified_client(personas.admin)
    assert client.get("/api/v1/staff/not-a-number/").status_code == 404


# --- Through HTTP: the API answers 404 for another branch's records ------------------


def test_api_other_branch_staff_record_is_404(personas):
    client = verified_client(personas.manager_a)
    assert client.get(f"/api/v1/staff/{personas.counsellor_a.pk}/").status_code == 200
    response = client.get(f"/api/v1/staff/{personas.counsellor_b.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_api_other_branch_is_404(personas, branch_b):
    client = verified_client(personas.counsellor_a)
    assert client.get(f"/api/v1/branches/{branch_b.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "url_name", "expected"),
    [
        ("volunteer", "/counselling/", 404),
        ("coordinator", "/counselling/", 404),
        ("auditor", "/counselling/", 404),
        ("counsellor_a", "/counselling/", 200),
        ("volunteer", "/campaigns/", 200),
        ("auditor", "/campaigns/", 404),
        ("volunteer", "/policy/", 200),  # published policy material
        ("auditor", "/policy/", 404),
        ("policy_officer", "/policy/", 200),
        ("counsellor_a", "/audit/", 404),
        ("volunteer", "/audit/", 404),
        ("auditor", "/audit/", 200),
        ("admin", "/audit/", 200),
    ],
)
def test_app_areas_by_role(personas, persona, url_name, expected):
    client = verified_client(getattr(personas, persona))
    assert client.get(url_name).status_code == expected


def test_within_one_page_each_question_goes_to_the_database_once(personas):
    manager, counsellor = personas.manager_a, personas.counsellor_a
    with access.remembering():
        with CaptureQueriesContext(connection) as first:
            assert access.can(manager, counsellor, Need.READ)
            assert not access.can(manager, counsellor, Need.WRITE)
        with CaptureQueriesContext(connection) as again:
            assert access.can(manager, counsellor, Need.READ)
            assert not access.can(manager, counsellor, Need.WRITE)
            # Another person asking is another question.
            assert access.can(counsellor, counsellor, Need.READ)
    assert (len(first), len(again)) == (2, 1)


def test_outside_a_page_every_question_is_asked_afresh(personas):
    manager, counsellor = personas.manager_a, personas.counsellor_a
    with access.remembering():
        assert access.can(manager, counsellor, Need.READ)
    counsellor.branches.clear()
    with CaptureQueriesContext(connection) as captured:
        assert not access.can(manager, counsellor, Need.READ)
    assert len(captured) == 1
