"""Demo data for the quick start."""

from django.core.management import call_command

from ngo.accounts.models import Branch, User
from ngo.accounts.roles import Role


def test_demo_loads_branches_and_one_account_per_role_and_is_idempotent(
    db, settings, tmp_path, capsys
):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    second = capsys.readouterr().out
    assert Branch.objects.count() == 7
    assert Branch.objects.get(is_head_office=True).code == "HQ"
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.filter(is_demo=True).count() == User.objects.count() == 9
    assert first == second  # same passwords printed again
    admin = User.objects.get(email="admin@demo.hamkke.kr")
    password = next(
        line.split()[1] for line in first.splitlines() if "admin@demo.hamkke.kr" in line
    )
    assert admin.check_password(password)
    assert (tmp_path / "demo-logins.json").stat().st_mode & 0o077 == 0
    # The counselling demo: fictional clients at two branches, loaded once.
    from counselling.models import Case, Client, Referral

    assert Client.objects.count() == 4
    assert set(Case.objects.values_list("branch__code", flat=True)) == {"SEO", "BUS"}
    assert Case.objects.filter(restricted=True).count() == 1
    assert Referral.objects.filter(consent__isnull=False).count() == 1
    from counselling.programmes.models import Enrolment
    from counselling.shelters.models import BedHold, Stay

    assert Stay.objects.filter(discharged_on__isnull=True).count() == 1
    assert BedHold.objects.filter(released_at__isnull=True).count() == 1
    assert Enrolment.objects.count() == 3


def test_policy_demo_loads_once(db, settings, tmp_path):
    from policy_monitor.models import Policy, PolicyEvent, Recommendation, Submission

    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    call_command("load_demo")
    assert Policy.objects.filter(kind="national_action_plan").count() == 2
    assert PolicyEvent.objects.filter(kind="consultation").count() == 19
    assert Recommendation.objects.filter(source="plan").count() == 2
    assert Recommendation.objects.exclude(current_status="unknown").count() == 4
    assert Submission.objects.filter(status="published").count() == 1
