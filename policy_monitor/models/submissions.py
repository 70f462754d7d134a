"""What we send: opinions, shadow reports, UPR submissions, and their word limits."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ngo.directory.models import Organisation
from ngo.lib.private_files import PrivateFileModel
from policy_monitor.models._common import GOVERNMENT, Stamped
from policy_monitor.models.policies import Policy
from policy_monitor.models.reviews import Mechanism, Review


class SubmissionKind(models.TextChoices):
    OPINION = "opinion", _("Opinion to a ministry")
    CONSULTATION_RESPONSE = "consultation_response", _("Consultation response")
    SHADOW_REPORT = "shadow_report", _("Shadow report")
    UPR_STAKEHOLDER = "upr_stakeholder", _("UPR stakeholder submission")
    FOLLOW_UP_REPORT = "follow_up_report", _("Follow-up report")
    URGENT_APPEAL = "urgent_appeal", _("Urgent appeal")


class SubmissionStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")


class Submission(PrivateFileModel, Stamped):
    file_area = "policy"
    file_field = "file_storage_name"

    kind = models.CharField(_("kind"), max_length=32, choices=SubmissionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    addressed_body = models.ForeignKey(
        Organisation,
        verbose_name=_("addressed to (government body)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions_received",
        limit_choices_to=GOVERNMENT,
    )
    review = models.ForeignKey(
        Review,
        verbose_name=_("addressed to (UN review)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("about (law or policy)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="submissions_led",
    )
    co_signers = models.ManyToManyField(
        Organisation, verbose_name=_("co-signers"), blank=True, related_name="submissions_signed"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFTING,
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, db_index=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    summary = models.TextField(_("summary"), blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_storage_name = models.CharField(max_length=64, blank=True, editable=False)
    file_size = models.PositiveIntegerField(null=True, blank=True, editable=False)
    word_count = models.PositiveIntegerField(_("word count"), null=True, blank=True)
    # The released tables the submission cites (the evidence chain).
    datasets = models.ManyToManyField(
        "statistics.StatisticsDataset",
        verbose_name=_("statistics datasets"),
        blank=True,
        related_name="submissions",
    )

    class Meta:
        ordering = ["-submitted_on", "-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SubmissionKind.values), name="submission_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status=SubmissionStatus.DRAFTING) | Q(submitted_on__isnull=False),
                name="submission_sent_has_date",
                violation_error_message=_("A submitted or published submission needs its date."),
            ),
            models.CheckConstraint(
                condition=Q(addressed_body__isnull=False) | Q(review__isnull=False),
                name="submission_has_addressee",
                violation_error_message=_(
                    "Say to whom it is addressed: a government body or a UN review."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_joint(self) -> bool:
        """Joint when other organisations co-sign (use prefetched co_signers)."""
        return bool(self.co_signers.all())

    @property
    def mechanism_id(self):
        return self.review.mechanism_id if self.review_id else None


class WordLimit(models.Model):
    """The word limit a mechanism sets for one kind of submission (e.g. CEDAW
    shadow reports: 6,600 words). A limit without mechanism applies to every
    mechanism (and to submissions to ministries)."""

    mechanism = models.ForeignKey(
        Mechanism,
        verbose_name=_("mechanism"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="word_limits",
    )
    kind = models.CharField(_("submission kind"), max_length=32, choices=SubmissionKind.choices)
    max_words = models.PositiveIntegerField(_("maximum words"))
    max_words_joint = models.PositiveIntegerField(
        _("maximum words (joint submission)"), null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["mechanism__order", "kind"]
        verbose_name = _("word limit")
        verbose_name_plural = _("word limits")
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "kind"],
                name="word_limit_unique",
                violation_error_message=_("This limit is already set."),
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(mechanism__isnull=True),
                name="word_limit_unique_default",
                violation_error_message=_("This limit is already set."),
            ),
            models.CheckConstraint(
                condition=Q(max_words__gt=0),
                name="word_limit_positive",
                violation_error_message=_("The limit must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.mechanism or '*'} {self.kind}: {self.max_words}"
