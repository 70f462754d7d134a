from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheltersConfig(AppConfig):
    name = "counselling.shelters"
    label = "shelters"
    verbose_name = _("Shelters")

    def ready(self):
        from counselling.shelters import access_rules, dashboard, reminders, timeline  # noqa: F401

        timeline.register()
