from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    """The one organisation directory, shared by counselling (referrals) and
    campaigns (partners, coalitions). It depends on neither: they add what they
    know of an organisation to its page through ngo.directory.panels."""

    name = "ngo.directory"
    label = "directory"
    verbose_name = _("Organisation directory")

    def ready(self):
        from ngo.directory import access_rules  # noqa: F401
