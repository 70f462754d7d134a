from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "counselling.retention"
    label = "retention"
    verbose_name = _("Retention and destruction")

    def ready(self):
        from counselling.retention import access_rules, scrubbers, tasks  # noqa: F401
