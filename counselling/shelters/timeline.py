"""How the case timeline reads the lines a stay writes (counselling.timeline_labels)."""

from django.utils.translation import gettext as _

from counselling import timeline_labels
from counselling.shelters.models import DischargeDestination


def _stay_label(parts: list[str]) -> str:
    event = parts[1] if len(parts) > 1 else ""
    if event == "admitted":
        return _("Admitted to shelter")
    if event == "discharged":
        destination = parts[2] if len(parts) > 2 else ""
        if destination in DischargeDestination.values:
            return _("Left the shelter: %(destination)s") % {
                "destination": DischargeDestination(destination).label
            }
        return _("Left the shelter")
    return _("Shelter stay changed")


def register() -> None:
    timeline_labels.register("shelter", _stay_label)
