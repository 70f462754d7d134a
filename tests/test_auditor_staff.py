"""Auditors read the staff list (who did what in the audit trail), every
branch, and change none of it."""

from django.urls import reverse

from ngo.accounts.models import User


def test_an_auditor_lists_every_member_of_staff(login, personas):
    api = login(personas.auditor)
    listed = api.get(reverse("api:staff-list"), {"page_size": 200}).json()
    assert {row["id"] for row in listed["results"]} == set(
        User.objects.values_list("pk", flat=True)
    )
    other_branch = api.get(reverse("api:staff-detail", args=[personas.counsellor_b.pk]))
    assert other_branch.status_code == 200


def test_an_auditor_changes_no_staff_account(login, personas):
    api = login(personas.auditor)
    url = reverse("api:staff-detail", args=[personas.counsellor_b.pk])
    assert api.patch(url, {"is_active": False}, content_type="application/json").status_code == 403
    created = api.post(
        reverse("api:staff-list"),
        {"email": "new@example.org", "full_name": "New", "role": "auditor"},
        content_type="application/json",
    )
    assert created.status_code == 403
    personas.counsellor_b.refresh_from_db()
    assert personas.counsellor_b.is_active


def test_a_counsellor_still_sees_only_herself(login, personas):
    listed = login(personas.counsellor_a).get(reverse("api:staff-list")).json()
    assert [row["id"] for row in listed["results"]] == [personas.counsellor_a.pk]
