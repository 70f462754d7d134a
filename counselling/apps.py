from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "counselling"
    verbose_name = _("Counselling")

    def ready(self):
        from counselling import access_rules, dashboard, reminders  # noqa: F401
