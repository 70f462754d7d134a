from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyMonitorConfig(AppConfig):
    name = "policy_monitor"
    verbose_name = _("Policy monitoring")

    def ready(self):
        from policy_monitor import access_rules, dashboard  # noqa: F401
