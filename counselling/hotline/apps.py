from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "counselling.hotline"
    label = "hotline"
    verbose_name = _("Hotline calls")

    def ready(self):
        from counselling.hotline import access_rules, case_panel, subject  # noqa: F401
