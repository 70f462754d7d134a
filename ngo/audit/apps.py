from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ngo.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from django.db.models.signals import post_migrate

        from ngo.audit import access_rules, dashboard, signals  # noqa: F401

        # Once per migrate, after every app (the signal is sent for each app).
        post_migrate.connect(signals.grant_runtime_role, sender=self, dispatch_uid="audit_grants")
