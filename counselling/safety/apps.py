from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "counselling.safety"
    label = "safety"
    verbose_name = _("Safe-contact rules")

    def ready(self):
        from counselling.safety import access_rules, linked_apps  # noqa: F401

        linked_apps.register()
