"""Reads of her safe-contact rules, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import Case, CaseEvent, Client, Document
from counselling.safety.models import Channel, SafetyRecord
from ngo import access
from ngo.access import Need


def safety_queryset():
    return SafetyRecord.objects.select_related("perpetrator_organisation", "client")


def safety_of_client(*, user, client: Client, need: Need = Need.READ) -> SafetyRecord | None:
    """Her rules, if she has any and the user may read her record (one query)."""
    return access.scope(user, safety_queryset().filter(client_id=client.pk), need).first()


@dataclass
class Banner:
    """What the safety banner shows, for the screens where someone may contact her."""

    client: Client
    record: SafetyRecord | None
    outside_hours: bool = False
    allowed: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)

    @property
    def notes(self) -> str:
        return self.client.safe_contact or ""

    @property
    def shows(self) -> bool:
        return bool(self.notes or (self.record is not None and self.record.has_rules))


def _labels(values) -> list[str]:
    return [str(Channel(value).label) for value in values if value in Channel.values]


def banner_for(*, user, client: Client, now=None) -> Banner:
    """The banner of one woman: one query for her rules (her client record is
    already read, and access-checked, by the screen that shows it)."""
    record = safety_of_client(user=user, client=client)
    banner = Banner(client=client, record=record)
    if record is not None:
        banner.outside_hours = not record.is_safe_at(now or timezone.now())
        banner.allowed = _labels(record.allowed_channels)
        banner.forbidden = _labels(record.forbidden_channels)
    return banner


# --- The reminders inbox: which reminders concern a woman with rules --------------------

# How a reminder's record leads to her client record, per model of the sources.
_CLIENT_OF = {
    Client: "pk",
    Document: "client_id",
    Case: "client_id",
    CaseEvent: "case__client_id",
}


def _client_path(model) -> str | None:
    if model in _CLIENT_OF:
        return _CLIENT_OF[model]
    names = {f.name for f in model._meta.get_fields()}
    if "client" in names:
        return "client_id"
    if "case" in names:
        return "case__client_id"
    if "plan" in names:
        return "plan__case__client_id"
    return None


def reminder_notes(*, user, items, models_by_source: dict, now=None) -> dict[int, list[str]]:
    """{dated item id: short safety lines} for the reminders whose woman has
    rules the user may read: a query per kind of record, and one for the rules."""
    by_model: dict = {}
    for item in items:
        model = models_by_source.get(item.source)
        if model is not None:
            by_model.setdefault(model, []).append(item)
    client_of_item: dict[int, int] = {}
    for model, group in by_model.items():
        path = _client_path(model)
        if path is None:
            continue
        ids = {item.object_id for item in group}
        found = dict(model._default_manager.filter(pk__in=ids).values_list("pk", path))
        for item in group:
            if item.object_id in found:
                client_of_item[item.pk] = found[item.object_id]
    if not client_of_item:
        return {}
    records = access.scope(
        user, SafetyRecord.objects.filter(client_id__in=set(client_of_item.values()))
    )
    lines_of_client = {}
    moment = now or timezone.now()
    for record in records:
        if not record.has_rules:
            continue
        lines = [str(text) for _css, text in record.flag_labels]
        if not record.is_safe_at(moment):
            lines.insert(0, _("Now is outside her safe hours: do not call"))
        if Channel.PHONE_CALL in record.forbidden_channels:
            lines.append(_("Never call her"))
        lines_of_client[record.client_id] = lines or [_("Safe-contact rules apply")]
    return {
        item_id: lines_of_client[client_id]
        for item_id, client_id in client_of_item.items()
        if client_id in lines_of_client
    }
