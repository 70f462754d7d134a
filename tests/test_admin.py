"""Administrators manage branches and staff in the Django admin, through the services."""

import pytest

from ngo.accounts.models import Branch, User
from ngo.audit.models import AuditAction, AuditEvent
from tests.conftest import verified_client


def _staff_form(**overrides):
    data = {
        "email": "hoa.le@example.org",
        "full_name": "Le Thi Hoa",
        "role": "counsellor",
        "branches": [],
        "is_active": "on",
        "preferred_language": "ko",
        "password": "",
    }
    data.update(overrides)
    return data


def test_admin_creates_a_counsellor_and_it_is_audited(personas, branch_a):
    client = verified_client(personas.admin)
    response = client.post(
        "/admin/accounts/user/add/",
        _staff_form(branches=[branch_a.pk], password="a long passphrase for hoa"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    staff = User.objects.get(email="hoa.le@example.org")
    assert list(staff.branches.all()) == [branch_a]
    assert list(staff.groups.values_list("name", flat=True)) == ["counsellor"]
    assert staff.check_password("a long passphrase for hoa")
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, actor=personas.admin, object_id=str(staff.pk)
    ).exists()


def test_counsellor_needs_a_branch_and_a_strong_password(personas):
    client = verified_client(personas.admin)
    response = client.post("/admin/accounts/user/add/", _staff_form(password="short"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "branches" in errors and "password" in errors
    assert not User.objects.filter(email="hoa.le@example.org").exists()


def test_admin_changes_a_branch_through_the_service(personas, branch_a):
    client = verified_client(personas.admin)
    response = client.post(
        f"/admin/accounts/branch/{branch_a.pk}/change/",
        {
            "code": "SEO",
            "name_ko": "서울지부",
            "name_en": "Seoul",
            "region": "Seoul",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    branch_a.refresh_from_db()
    assert branch_a.name_en == "Seoul"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="accounts.branch")
    assert set(event.fields) == {"name_en", "region"}


def test_nobody_deletes_branches_or_staff(personas, branch_a):
    client = verified_client(personas.admin)
    assert client.get(f"/admin/accounts/branch/{branch_a.pk}/delete/").status_code == 403
    assert client.get(f"/admin/accounts/user/{personas.volunteer.pk}/delete/").status_code == 403
    assert Branch.objects.filter(pk=branch_a.pk).exists()


@pytest.mark.parametrize("persona", ["counsellor_a", "manager_a", "auditor", "volunteer"])
def test_only_administrators_reach_the_admin(personas, persona):
    client = verified_client(getattr(personas, persona))
    assert client.get("/admin/accounts/user/", follow=True).status_code == 404
    assert client.get("/admin/", follow=True).status_code == 404


def test_anonymous_admin_visit_goes_to_the_app_login(db):
    from django.test import Client

    response = Client().get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_reset_two_factor_action(personas):
    from ngo.accounts.models import AuthenticatorDevice

    AuthenticatorDevice.objects.create(user=personas.counsellor_a, name="phone", confirmed=True)
    client = verified_client(personas.admin)
    client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [personas.counsellor_a.pk]},
    )
    assert not AuthenticatorDevice.objects.filter(user=personas.counsellor_a).exists()
    assert AuditEvent.objects.filter(
        object_id=str(personas.counsellor_a.pk), fields=["two_factor"]
    ).exists()


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("counsellor_a", ["Counselling", "Campaigns"], ["Audit log", "Branches and staff"]),
        ("volunteer", ["Campaigns", "Policy"], ["Counselling", "Audit log"]),
        ("auditor", ["Audit log"], ["Counselling", "Campaigns", "Branches and staff"]),
        ("admin", ["Audit log", "Branches and staff", "Counselling"], []),
        ("policy_officer", ["Policy", "Campaigns"], ["Counselling", "Audit log"]),
    ],
)
def test_dashboard_and_navigation_follow_the_role(personas, persona, visible, hidden):
    client = verified_client(getattr(personas, persona))
    html = client.get("/accounts/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    nav = html.split('id="mainnav"')[1].split("</ul>")[0]
    for label in visible:
        assert label in nav
    for label in hidden:
        assert label not in nav
