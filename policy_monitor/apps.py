from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyMonitorConfig(AppConfig):
    name = "policy_monitor"
    verbose_name = _("Policy monitoring")
