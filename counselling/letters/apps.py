from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "counselling.letters"
    label = "letters"
    verbose_name = _("DV confirmation letters")

    def ready(self):
        from counselling.letters import access_rules, case_panel  # noqa: F401
