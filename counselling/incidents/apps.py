from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "counselling.incidents"
    label = "incidents"
    verbose_name = _("Incidents of violence")

    def ready(self):
        from counselling.incidents import access_rules, case_panel, linked  # noqa: F401
