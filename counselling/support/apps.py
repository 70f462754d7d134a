from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "counselling.support"
    label = "support"
    verbose_name = _("Services given")

    def ready(self):
        from counselling.support import access_rules, case_panel, subject  # noqa: F401
