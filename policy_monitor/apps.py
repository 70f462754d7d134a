from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyMonitorConfig(AppConfig):
    name = "policy_monitor"
    verbose_name = _("Policy monitoring")

    def ready(self):
        # Access rules, the home-page panel, deadlines for reminders.
        from policy_monitor import access_rules, dashboard, reminders  # noqa: F401
