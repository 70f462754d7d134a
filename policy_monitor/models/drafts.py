"""Shadow-report drafts: a Word document written on the worker from the
evidence chain of a review (recommendations, assessments, campaigns,
submissions, released tables)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo.lib.private_files import PrivateFileModel
from ngo.lib.progress import Progress
from policy_monitor.models.reviews import Review


class DraftStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (DraftStatus.QUEUED, DraftStatus.RUNNING)


class ShadowReportDraft(Progress, PrivateFileModel):
    """One run of the draft writer for a review. The file holds aggregates and
    public texts only; it is stored encrypted all the same."""

    file_area = "policy"
    file_field = "file_storage_name"

    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="drafts"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DraftStatus.choices, default=DraftStatus.QUEUED
    )
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_storage_name = models.CharField(max_length=64, blank=True, editable=False)
    file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    word_count = models.PositiveIntegerField(_("word count"), null=True, blank=True)
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    recommendation_count = models.PositiveIntegerField(_("recommendations"), default=0)
    annex_count = models.PositiveIntegerField(_("annexes"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shadow-report draft")
        verbose_name_plural = _("shadow-report drafts")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DraftStatus.values), name="shadow_draft_status_known"
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="shadow_draft_one_running",
                violation_error_message=_("A draft for this review is already being written."),
            ),
            models.CheckConstraint(
                condition=Q(status="done") | Q(file_storage_name=""),
                name="shadow_draft_file_when_done",
            ),
        ]

    def __str__(self):
        return f"{self.review} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def running(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def over_limit(self) -> bool:
        return (
            self.word_count is not None
            and self.word_limit is not None
            and self.word_count > self.word_limit
        )
