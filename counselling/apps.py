from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounsellingConfig(AppConfig):
    name = "counselling"
    verbose_name = _("Counselling")

    def ready(self):
        from counselling import (  # noqa: F401
            access_rules,
            dashboard,
            organisation_panels,
            reminders,
        )
