"""No lost updates on the screens: an edit form carries the version it was
filled from; a save after someone else's re-renders the form with what she
typed, what was saved meanwhile next to it, and the new version, so that she
merges and saves again. Nothing is overwritten and nothing refused is audited."""

from __future__ import annotations

import pytest

from campaigns import services as campaign_services
from campaigns.models import Campaign
from counselling import services
from counselling.models import Client
from ngo.audit.models import AuditAction, AuditEvent
from policy_monitor import services as policy_services
from policy_monitor.models import Policy
from tests.conftest import verified_client


def browser_data(form) -> dict:
    """What a browser sends back for an unchanged form."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data[form.add_prefix(name)] = value
    return data


def _updates(obj, actor=None) -> int:
    events = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )
    return events.filter(actor=actor).count() if actor else events.count()


@pytest.fixture
def her_record(make_case):
    return make_case(narrative="She came with her sister.").client


def test_the_edit_form_carries_the_version(personas, her_record):
    browser = verified_client(personas.counsellor_a)
    page = browser.get(f"/counselling/clients/{her_record.pk}/edit/")
    assert page.context["form"]["version"].value() == 1
    assert 'name="version" value="1"' in page.content.decode()


def test_a_stale_save_of_her_details_keeps_both_versions(personas, her_record):
    url = f"/counselling/clients/{her_record.pk}/edit/"
    mine = verified_client(personas.counsellor_a)
    data = browser_data(mine.get(url).context["form"])
    assert data["version"] == 1

    # A colleague saves her narrative while the form is open.
    services.client_update(
        actor=personas.manager_a,
        client=Client.objects.get(pk=her_record.pk),
        narrative="Police report filed on Monday.",
        interpreter_needed=True,
    )
    data.update(narrative="She moved to the shelter.", address="Shelter, Seoul")
    response = mine.post(url, data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it" in html
    assert "She moved to the shelter." in html  # what she typed is kept
    assert "Shelter, Seoul" in html
    assert "Police report filed on Monday." in html  # next to what was saved meanwhile
    form = response.context["form"]
    assert form.fields["narrative"].saved_meanwhile.text == "Police report filed on Monday."
    assert form.fields["interpreter_needed"].saved_meanwhile.text == "Yes"
    assert form.fields["address"].saved_meanwhile.text == "(empty)"  # hers differs too
    assert not hasattr(form.fields["name_romanised"], "saved_meanwhile")  # the same in both
    assert 'name="version" value="2"' in html

    saved = Client.objects.get(pk=her_record.pk)
    assert (saved.narrative, saved.address, saved.version) == (
        "Police report filed on Monday.",
        None,
        2,
    )
    assert _updates(saved, personas.counsellor_a) == 0
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_id=str(saved.pk), reason="stale_version"
    ).exists()

    # She merges and saves again, from the version she has now seen.
    data.update(
        version=form["version"].value(),
        narrative="Police report filed on Monday. She moved to the shelter.",
        interpreter_needed="on",
    )
    assert mine.post(url, data).status_code == 302
    merged = Client.objects.get(pk=her_record.pk)
    assert merged.narrative == "Police report filed on Monday. She moved to the shelter."
    assert (merged.address, merged.version) == ("Shelter, Seoul", 3)
    assert _updates(merged, personas.counsellor_a) == 1


def test_the_stale_message_is_in_korean(personas, her_record):
    url = f"/counselling/clients/{her_record.pk}/edit/"
    mine = verified_client(personas.counsellor_a)
    data = browser_data(mine.get(url).context["form"])
    services.client_update(
        actor=personas.manager_a, client=Client.objects.get(pk=her_record.pk), narrative="x"
    )
    html = mine.post(url, {**data, "narrative": "y"}, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "수정하시는 동안 다른 사람이 이 기록을 저장했습니다" in html
    assert "그사이 저장된 내용(버전 2)" in html


def test_a_stale_campaign_edit_shows_both_and_overwrites_nothing(personas, campaign_world):
    campaign = campaign_world.campaign
    url = f"/campaigns/{campaign.pk}/edit/"
    mine = verified_client(personas.coordinator)
    data = browser_data(mine.get(url).context["form"])
    campaign_services.campaign_update(
        actor=personas.admin,
        campaign=Campaign.objects.get(pk=campaign.pk),
        goal="Abolish the mandatory courses.",
    )
    response = mine.post(url, {**data, "goal": "Make the courses optional."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Make the courses optional." in html
    assert "Abolish the mandatory courses." in html
    assert "saved-meanwhile" in html
    saved = Campaign.objects.get(pk=campaign.pk)
    assert saved.goal == "Abolish the mandatory courses."
    assert _updates(saved, personas.coordinator) == 0


def test_a_stale_law_edit_shows_both_versions(personas, policy_world):
    policy = policy_world.plan
    url = f"/policy/laws/{policy.pk}/edit/"
    mine = verified_client(personas.policy_officer)
    page = mine.get(url)
    assert page.status_code == 200
    data = browser_data(page.context["form"])
    policy_services.policy_update(
        actor=personas.admin,
        policy=Policy.objects.get(pk=policy.pk),
        title_en="4th NAP for Human Rights (2023-2027)",
    )
    response = mine.post(
        url, {**data, "title_en": "The 4th National Action Plan"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "Someone else saved this record while you were editing it" in html
    assert "The 4th National Action Plan" in html
    assert "4th NAP for Human Rights (2023-2027)" in html
    saved = Policy.objects.get(pk=policy.pk)
    assert (saved.title_en, saved.version) == ("4th NAP for Human Rights (2023-2027)", 2)
    assert _updates(saved, personas.policy_officer) == 0
