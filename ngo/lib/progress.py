"""Progress of long work on the worker, shown as a bar that updates itself,
with a cancel button.

A model that a worker fills in (a dataset being counted, a report being
drafted) inherits `Progress`: its stage, its percentage and whether someone
asked to stop. The worker calls `report()` between steps; each call is one
UPDATE (autocommit, so the screen sees it at once) that also notices a cancel
request and raises `Cancelled`, so the work stops at the next step and writes
nothing more. The screen polls a small view (htmx, every two seconds) that
renders `templates/includes/progress.html`.

    class Draft(Progress, models.Model):
        ...

    progress.report(Draft, draft.pk, stage="counting", percent=40)
    progress.request_cancel(Draft, draft.pk)
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cancelled(Exception):
    """Someone asked the work to stop: leave at once and write nothing more."""


class Stage(models.TextChoices):
    WAITING = "waiting", _("Waiting for a worker")
    COUNTING = "counting", _("Counting")
    PROTECTING = "protecting", _("Protecting small counts")
    CHECKING = "checking", _("Checking everything released")
    GATHERING = "gathering", _("Gathering the evidence")
    WRITING = "writing", _("Writing the files")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Progress(models.Model):
    progress_stage = models.CharField(
        _("stage"), max_length=12, choices=Stage.choices, default=Stage.WAITING, editable=False
    )
    progress_percent = models.PositiveSmallIntegerField(_("progress"), default=0, editable=False)
    cancel_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def progress_label(self) -> str:
        return str(Stage(self.progress_stage).label) if self.progress_stage else ""


def report(model: type[models.Model], pk: int, *, stage: str, percent: int) -> None:
    """Record where the work is; raise Cancelled if someone asked it to stop."""
    percent = max(0, min(100, int(percent)))
    updated = model._default_manager.filter(pk=pk, cancel_requested_at__isnull=True).update(
        progress_stage=stage, progress_percent=percent
    )
    if not updated:
        raise Cancelled


def start(model: type[models.Model], pk: int) -> None:
    """A fresh run: back to the first stage, any earlier cancel forgotten."""
    model._default_manager.filter(pk=pk).update(
        progress_stage=Stage.WAITING, progress_percent=0, cancel_requested_at=None
    )


def finish(model: type[models.Model], pk: int, *, stage: str = Stage.DONE) -> None:
    model._default_manager.filter(pk=pk).update(
        progress_stage=stage, progress_percent=100 if stage == Stage.DONE else 0
    )


def request_cancel(model: type[models.Model], pk: int) -> bool:
    """Ask a running job to stop; False if nobody asked before and it is not running."""
    return bool(
        model._default_manager.filter(pk=pk, cancel_requested_at__isnull=True).update(
            cancel_requested_at=timezone.now()
        )
    )


def cancel_requested(model: type[models.Model], pk: int) -> bool:
    return model._default_manager.filter(pk=pk, cancel_requested_at__isnull=False).exists()
