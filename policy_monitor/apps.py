from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyMonitorConfig(AppConfig):
    name = "policy_monitor"
    verbose_name = _("Policy monitoring")

    def ready(self):
        # Access rules, the home-page panel and the Celery tasks of the datasets.
        from policy_monitor import (  # noqa: F401  # noqa: F401
            access_rules,
            dashboard,
            dataset_access,
            dataset_dashboard,
            dataset_tasks,
        )
