"""Every record about a client is in her copy, or said not to be personal: a
new model with a foreign-key path to Client fails here until it is covered."""

from django.apps import apps
from django.db import models

from counselling.models import Client
from counselling.rights import registry


def _models_about_a_client():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if registry.path_to_client(model) is not None
    ]


def test_every_model_with_a_path_to_client_is_covered_by_a_section_or_listed_as_not_personal():
    covered = registry.covered_models() | set(registry.models_not_personal())
    missing = sorted(m._meta.label for m in _models_about_a_client() if m not in covered)
    assert not missing, (
        "Models about a client that no export section covers (register a section in "
        "counselling/rights/registry.py, or not_personal()): " + ", ".join(missing)
    )


def test_the_records_of_today_are_found_by_the_path_finder():
    labels = {model._meta.label for model in _models_about_a_client()}
    for label in (
        "counselling.Client",
        "counselling.SafetyPlanItem",
        "shelters.Stay",
        "shelters.BedOccupancy",
        "programmes.Attendance",
        "rights.RightsRequest",
    ):
        assert label in labels
    assert registry.path_to_client(apps.get_model("programmes", "Attendance")) == (
        "enrolment__client"
    )
    assert registry.path_to_client(apps.get_model("campaigns", "Campaign")) is None


def test_a_new_model_with_a_foreign_key_to_client_is_caught():
    class Letter(models.Model):
        client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "rights"
            managed = False

        def __str__(self):
            return f"letter #{self.pk}"

    try:
        assert registry.path_to_client(Letter) == "client"
        assert Letter not in registry.covered_models()
        section = registry.register_section(
            "test_letters", "확인서 / Letters", lambda client: [], models=[Letter]
        )
        assert Letter in registry.covered_models()
        assert section in registry.sections()
    finally:
        registry._SECTIONS.pop("test_letters", None)
        apps.all_models["rights"].pop("letter", None)
        apps.clear_cache()
