from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "counselling.programmes"
    label = "programmes"
    verbose_name = _("Empowerment programmes")

    def ready(self):
        from counselling.programmes import access_rules, dashboard  # noqa: F401
