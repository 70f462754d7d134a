"""Demo reminders: the deadlines of the demo records, and those already due
delivered, so the demo accounts open on a few notifications."""

from ngo.reminders import services


def load() -> None:
    services.refresh()
    services.fire_due_reminders()
