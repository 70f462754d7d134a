from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ngo.accounts"
    label = "accounts"
    verbose_name = _("People and branches")

    def ready(self):
        from ngo.accounts import access_rules, middleware  # noqa: F401
