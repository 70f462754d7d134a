from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "policy_monitor.statistics"
    label = "statistics"
    verbose_name = _("Shadow-report statistics")

    def ready(self):
        # Access rules, the home-page panel, Celery tasks.
        from policy_monitor.statistics import access_rules, dashboard, tasks  # noqa: F401
