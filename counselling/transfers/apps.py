from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "counselling.transfers"
    label = "transfers"
    verbose_name = _("Case transfers")

    def ready(self):
        from counselling.transfers import access_rules, case_panel, dashboard, records  # noqa: F401
