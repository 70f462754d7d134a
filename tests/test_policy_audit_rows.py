"""What the policy services write down: the author of a record, its many-to-many
links, and one audit row naming the fields given (on a create) or the fields
that changed (on an update), links included."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from ngo.audit.models import AuditAction, AuditEvent
from ngo.audit.services import object_type_of
from policy_monitor import services
from policy_monitor.models import Recommendation, Term

pytestmark = pytest.mark.django_db


def _last(action, obj) -> AuditEvent:
    return AuditEvent.objects.filter(
        action=action, object_type=object_type_of(obj), object_id=str(obj.pk)
    ).latest("id")


def _theme(label: str) -> Term:
    return services.term_create(actor=None, vocabulary="theme", label_en=label)


def test_a_recommendation_is_created_with_its_themes_its_author_and_one_audit_row(
    policy_world, personas
):
    w = policy_world
    migrants, violence = _theme("Shelter access"), _theme("Interpretation services")
    before = AuditEvent.objects.count()
    recommendation = services.recommendation_create(
        actor=personas.policy_officer,
        mechanism=w.cedaw,
        review=w.review,
        text="42. Ensure interpretation in shelters.",
        issued_on=date(2024, 5, 29),
        themes=[migrants, violence],
    )
    assert recommendation.created_by == personas.policy_officer
    assert set(recommendation.themes.all()) == {migrants, violence}
    assert AuditEvent.objects.count() == before + 1
    event = _last(AuditAction.CREATE, recommendation)
    assert event.actor == personas.policy_officer
    assert event.object_type == "policy_monitor.recommendation"
    assert event.fields == ["issued_on", "mechanism", "review", "text", "themes"]


def test_the_source_check_runs_before_a_recommendation_is_saved(policy_world, personas):
    act = services.policy_create(
        actor=personas.policy_officer,
        kind="act",
        title_ko="재한외국인 처우 기본법",
        title_en="Framework Act on the Treatment of Foreigners",
    )
    count, rows = Recommendation.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.recommendation_create(
            actor=personas.policy_officer,
            source="plan",
            plan=act,
            text="A commitment under an act, not a plan.",
        )
    assert "plan" in refused.value.message_dict
    assert Recommendation.objects.count() == count
    assert AuditEvent.objects.count() == rows


def test_changing_only_the_links_writes_one_update_row_naming_them(policy_world, personas):
    w = policy_world
    migrants = _theme("Shelter access")
    services.recommendation_update(
        actor=personas.policy_officer, recommendation=w.recommendation, themes=[migrants]
    )
    event = _last(AuditAction.UPDATE, w.recommendation)
    assert event.fields == ["themes"]
    assert list(w.recommendation.themes.all()) == [migrants]
    before = AuditEvent.objects.count()
    same = services.recommendation_update(
        actor=personas.policy_officer, recommendation=w.recommendation, themes=[migrants]
    )
    assert same.changed_fields == []
    assert AuditEvent.objects.count() == before


def test_an_update_names_changed_fields_and_links_together(policy_world, personas):
    w = policy_world
    event = services.policy_event_update(
        actor=personas.policy_officer,
        event=w.meeting,
        notes="Officials asked for three case examples.",
        organisations_present=[w.ministry],
        participants=None,  # not given: left as it is
    )
    assert sorted(event.changed_fields) == ["notes", "organisations_present"]
    assert list(w.meeting.organisations_present.all()) == [w.ministry]
    assert list(w.meeting.participants.all()) == [personas.policy_officer]
    row = _last(AuditAction.UPDATE, w.meeting)
    assert row.fields == ["notes", "organisations_present"]


def test_an_event_names_its_links_on_creation_and_records_its_author(policy_world, personas):
    w = policy_world
    row = _last(AuditAction.CREATE, w.meeting)
    assert row.fields == [
        "happens_on",
        "kind",
        "notes",
        "organisations_present",
        "participants",
    ]
    assert w.meeting.created_by == personas.policy_officer
    assert w.note.created_by == personas.policy_officer
