from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentTextsConfig(AppConfig):
    name = "counselling.consent_texts"
    label = "consent_texts"
    verbose_name = _("Consent texts")

    def ready(self):
        from counselling.consent_texts import access_rules  # noqa: F401
