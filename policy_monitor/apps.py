from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyMonitorConfig(AppConfig):
    name = "policy_monitor"
    verbose_name = _("Policy monitoring")

    def ready(self):
        # Access rules, home-page panels, deadlines for reminders, Celery tasks.
        from policy_monitor import (  # noqa: F401
            access_rules,
            dashboard,
            dataset_access,
            dataset_dashboard,
            dataset_tasks,
            reminders,
        )
