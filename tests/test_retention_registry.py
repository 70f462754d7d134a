"""Every model with a foreign-key path to the Client is destroyed by a
registered scrubber (its app's), or named as holding nothing personal."""

from django.apps import apps

from counselling.models import Client
from counselling.retention import registry


def _reaches_client(model, seen=None) -> bool:
    seen = seen or set()
    if model is Client:
        return True
    if model in seen:
        return False
    seen.add(model)
    return any(
        _reaches_client(field.related_model, seen)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is not None
    )


def test_every_model_with_a_path_to_the_client_has_a_scrubber():
    reaching = [
        model for model in apps.get_models(include_auto_created=True) if _reaches_client(model)
    ]
    uncovered = sorted(
        model._meta.label
        for model in reaching
        if model._meta.app_label not in registry.covered_apps()
        and model._meta.label not in registry.NOT_PERSONAL
    )
    assert not uncovered, (
        "Models with a path to the Client that no scrubber destroys "
        "(register one in counselling/retention/scrubbers.py, or list the model "
        "in registry.NOT_PERSONAL with the reason): " + ", ".join(uncovered)
    )
    # The check sees what it should: the records of the nested apps, through their cases.
    labels = {model._meta.label for model in reaching}
    assert {
        "counselling.SafetyPlanItem",
        "shelters.BedOccupancy",
        "programmes.Attendance",
    } <= labels


def test_a_key_is_registered_once():
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        registry.register_scrubber("counselling", lambda client: {})
