"""Sources of dated items: the one way an app plugs its deadlines into reminders.

An app describes each kind of deadline once, as a `Source` subclass decorated with
`@register`, in its own `reminders.py` (imported from its AppConfig.ready):

    @register
    class TaskDue(Source):
        key = "campaigns.task_due"              # stable, stored in the database
        label = _("Campaign task due")           # what the deadline is, for people
        model = CampaignTask                     # the record the deadline belongs to
        due_field = "due_on"                     # a DateField or DateTimeField of `model`
        audiences = {"assignee": _("Assignee")}  # who can be reminded
        default_rules = [Rule(days_before=1, audience="assignee")]
        watch = {CampaignTask: lambda task: [task.pk]}   # saves that change items

        def queryset(self):                      # the records that still need reminding
            return CampaignTask.objects.filter(done=False)

        def items(self, records):                # records: queryset() within the horizon
            for task in records:
                yield Item(record=task, due=task.due_on, reference=task.title[:60],
                           url=task.get_absolute_url(),
                           recipients={"assignee": [task.assignee_id]})

The engine (ngo.reminders.services) turns items and the administrators' rules
(seeded from `default_rules`) into one reminder per (item, lead time, recipient),
and delivers each once, in the app and by e-mail. The reference and the label are
the only things that leave the database in an e-mail, so they must never carry a
client's name or other personal data: a case code is fine, a name is not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models


@dataclass(frozen=True)
class Rule:
    """A default lead time. `days_before` may be negative: an alert after the date.
    With `minutes_before` 0 the reminder is sent on the morning of that day;
    otherwise exactly that long before the due time."""

    days_before: int = 0
    audience: str = ""
    minutes_before: int = 0


@dataclass
class Item:
    record: models.Model
    due: date | datetime
    reference: str
    url: str
    recipients: dict[str, Iterable[int]] = field(default_factory=dict)
    # A finer label for this one item (e.g. "Court hearing" for a case event).
    kind: str = ""
    branch_id: int | None = None


class Source:
    key: str = ""
    label = ""
    model: type[models.Model]
    due_field: str = ""
    audiences: dict[str, str] = {}
    default_rules: list[Rule] = []
    # model -> function(instance) -> ids of `self.model` records to refresh.
    watch: dict[type[models.Model], Callable[[models.Model], Iterable[int]]] = {}

    def queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def items(self, records: models.QuerySet) -> Iterable[Item]:
        raise NotImplementedError

    def record_for(self, object_id: int):
        return self.model._default_manager.filter(pk=object_id).first()


_SOURCES: dict[str, Source] = {}


def register(cls: type[Source]) -> type[Source]:
    if not cls.key or "." not in cls.key:
        raise ValueError(f"{cls.__name__}.key must look like 'app.deadline'")
    for rule in cls.default_rules:
        if rule.audience not in cls.audiences:
            raise ValueError(f"{cls.key}: unknown audience {rule.audience!r}")
    _SOURCES[cls.key] = cls()
    return cls


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def get(key: str) -> Source | None:
    return _SOURCES.get(key)


def people_with_role(role: str) -> set[int]:
    """Ids of the active staff with this role: an audience such as "all policy officers"."""
    from ngo.accounts.models import User

    return set(User.objects.filter(role=role, is_active=True).values_list("pk", flat=True))


# --- Notes beside reminders in the inbox ----------------------------------------------

# key -> function(user, dated items) -> {item id: short lines}. A domain app adds
# what a reader must see before acting on a reminder (e.g. "do not call her now");
# shown in the app only, never in an e-mail.
_INBOX_NOTES: dict[str, Callable] = {}


def register_inbox_notes(key: str, fn: Callable) -> None:
    _INBOX_NOTES[key] = fn


def inbox_notes(user, items) -> dict[int, list[str]]:
    items = list(items)
    notes: dict[int, list[str]] = {}
    if not items:
        return notes
    for fn in _INBOX_NOTES.values():
        for item_id, lines in fn(user, items).items():
            notes.setdefault(item_id, []).extend(lines)
    return notes
