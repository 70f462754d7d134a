from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "counselling.rights"
    label = "rights"
    verbose_name = _("Her rights (access, correction, deletion)")

    def ready(self):
        from counselling.rights import access_rules, linked_apps, sections, tasks  # noqa: F401

        linked_apps.register()
