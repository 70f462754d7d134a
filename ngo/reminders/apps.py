from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "ngo.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from ngo.accounts.backends import read_with_user
        from ngo.reminders import access_rules, selectors, signals  # noqa: F401

        signals.connect_watchers()
        read_with_user(selectors.UNREAD_ATTRIBUTE, selectors.unread_count_expression)
