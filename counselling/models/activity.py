"""The case timeline."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling import case_panels
from counselling.models.cases import Case
from counselling.models.clients import Client
from counselling.record import Record


class CaseActivity(Record):
    """One line of a case's timeline, written by the service that did the thing.
    Client-level lines (consent, client documents) have no case and show on
    every case of the client."""

    class Kind(models.TextChoices):
        CASE_OPENED = "case_opened", _("Case opened")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assignment changed")
        CASE_UPDATED = "case_updated", _("Case details changed")
        SESSION = "session", _("Session")
        EVENT = "event", _("Key date")
        RISK = "risk", _("Risk assessment")
        SAFETY_PLAN = "safety_plan", _("Safety plan")
        REFERRAL = "referral", _("Referral")
        DOCUMENT = "document", _("Document")
        CONSENT = "consent", _("Consent")
        CLIENT_UPDATED = "client_updated", _("Client details changed")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="activities")
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="activities"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # A short, non-identifying label (e.g. "active", "high", "hospital").
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def get_kind_display(self) -> str:
        """The kind in words, the nested apps' kinds too (counselling.case_panels)."""
        registered = case_panels.timeline_kind(self.kind)
        if registered is not None:
            return str(registered.title)
        return str(dict(self.Kind.choices).get(self.kind, self.kind))
