from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ngo.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from ngo.audit import access_rules, signals  # noqa: F401
