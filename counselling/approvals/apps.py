from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "counselling.approvals"
    label = "approvals"
    verbose_name = _("Manager approvals")

    def ready(self):
        from counselling.approvals import access_rules, case_panel, dashboard, records  # noqa: F401
