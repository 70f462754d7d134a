"""The campaigns demo: loaded by load_demo with the other apps, once."""

from django.core.management import call_command

from campaigns.models import Campaign, CampaignStatus, Coalition, Membership, Signatory
from ngo.directory.models import Organisation


def test_campaign_demo_loads_once_with_realistic_records(db, settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("load_demo")
    counts = (
        Organisation.objects.count(),
        Coalition.objects.count(),
        Campaign.objects.count(),
        Membership.objects.count(),
        Signatory.objects.count(),
    )
    call_command("load_demo")
    assert counts == (
        Organisation.objects.count(),
        Coalition.objects.count(),
        Campaign.objects.count(),
        Membership.objects.count(),
        Signatory.objects.count(),
    )
    won = Campaign.objects.get(status=CampaignStatus.WON)
    assert "optional" in won.outcome
    assert won.coalition.memberships.filter(left_on__isnull=False).exists()
    assert Coalition.objects.filter(name_en="Korea Refugee Support Network").exists()
    assert Organisation.objects.filter(name_en="Migrant Forum in Asia").count() == 1
    assert Organisation.objects.filter(authority_type="un_body").count() == 2
    assert Campaign.objects.filter(coalition__isnull=True).count() == 1
