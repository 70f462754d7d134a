from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "ngo.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from ngo.reminders import access_rules, signals  # noqa: F401

        signals.connect_watchers()
