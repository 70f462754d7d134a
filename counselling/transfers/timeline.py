"""How a transfer reads on the case timeline: `transfer:SEO:BUS`."""

from django.utils.translation import gettext as _


def timeline_words(parts: list[str]) -> str:
    _prefix, sending, receiving = (parts + ["", ""])[:3]
    return _("Transferred from %(a)s to %(b)s") % {"a": sending, "b": receiving}
