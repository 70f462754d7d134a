from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransfersConfig(AppConfig):
    name = "counselling.transfers"
    label = "transfers"
    verbose_name = _("Case transfers")

    def ready(self):
        from counselling import timeline_labels
        from counselling.transfers import (  # noqa: F401
            access_rules,
            case_panel,
            dashboard,
            records,
            timeline,
        )

        timeline_labels.register("transfer", timeline.timeline_words)
