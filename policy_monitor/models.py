"""Policy monitoring and UN mechanisms.

- Policy: a law, decree, ordinance, five-year plan or national action plan, with
  its events (amendment proposed, public-comment period, consultation meeting,
  enacted, in force, abolished) and internal monitoring notes.
- Mechanism: the catalogue of UN bodies (seeded by a data migration, with the
  names UHRI uses as aliases); Review: one reporting cycle of a mechanism.
- Submission: what we send (opinions, shadow reports, UPR submissions...).
- Recommendation: what a UN mechanism recommended, or what the government
  committed to in a national action plan (source "plan"): one table, so that
  assessments, lists, filters and exports treat both alike.
- Assessment: a dated implementation status; the latest one is copied onto the
  recommendation (current_status) by the service, so lists filter without subqueries.

Government bodies, lead organisations and co-signers come from the shared
directory (ngo.directory.Organisation, kind "government" for bodies).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ngo.directory.models import Organisation, OrganisationKind
from ngo.lib.i18n import bilingual_property
from ngo.lib.private_files import PrivateFileModel

GOVERNMENT = {"kind": OrganisationKind.GOVERNMENT}


class Stamped(models.Model):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, editable=False)

    class Meta:
        abstract = True


# --- Laws, policies, plans ---------------------------------------------------------------


class PolicyKind(models.TextChoices):
    ACT = "act", _("Act")
    DECREE = "decree", _("Presidential or ministerial decree")
    ORDINANCE = "ordinance", _("Local ordinance")
    FIVE_YEAR_PLAN = "five_year_plan", _("Five-year plan")
    NATIONAL_ACTION_PLAN = "national_action_plan", _("National action plan")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft or proposed")
    ENACTED = "enacted", _("Enacted or adopted")
    IN_FORCE = "in_force", _("In force")
    ABOLISHED = "abolished", _("Abolished or expired")


class Policy(Stamped):
    kind = models.CharField(_("kind"), max_length=32, choices=PolicyKind.choices)
    title_ko = models.CharField(_("title (Korean)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    number = models.CharField(_("number"), max_length=80, blank=True)
    responsible_body = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        limit_choices_to=GOVERNMENT,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    enacted_on = models.DateField(_("enacted on"), null=True, blank=True)
    in_force_on = models.DateField(_("in force on"), null=True, blank=True)
    ends_on = models.DateField(_("ends or abolished on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("link"), blank=True)

    class Meta:
        ordering = ["-in_force_on", "title_ko", "title_en"]
        verbose_name = _("law or policy")
        verbose_name_plural = _("laws and policies")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_ko="") | ~Q(title_en=""),
                name="policy_has_a_title",
                violation_error_message=_("Give the title in Korean or in English."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PolicyKind.values), name="policy_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PolicyStatus.values), name="policy_status_known"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(in_force_on__isnull=True)
                | Q(ends_on__gte=models.F("in_force_on")),
                name="policy_ends_after_in_force",
                violation_error_message=_("The end date cannot be before the date in force."),
            ),
        ]

    def __str__(self):
        return self.title

    title = bilingual_property("title_ko", "title_en")

    @property
    def is_plan(self) -> bool:
        return self.kind == PolicyKind.NATIONAL_ACTION_PLAN


class PolicyEventKind(models.TextChoices):
    AMENDMENT_PROPOSED = "amendment_proposed", _("Amendment proposed")
    PUBLIC_COMMENT = "public_comment", _("Public-comment period")
    CONSULTATION = "consultation", _("Consultation meeting")
    ENACTED = "enacted", _("Enacted")
    IN_FORCE = "in_force", _("In force")
    ABOLISHED = "abolished", _("Abolished")


class PolicyEvent(Stamped):
    policy = models.ForeignKey(
        Policy, verbose_name=_("law or policy"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PolicyEventKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    happens_on = models.DateField(_("date"), db_index=True)
    deadline = models.DateField(
        _("comment deadline"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("For a public-comment period: the last day to send comments."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisations_present = models.ManyToManyField(
        Organisation,
        verbose_name=_("bodies and organisations present"),
        blank=True,
        related_name="policy_events",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our participants"),
        blank=True,
        related_name="policy_events",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-happens_on", "-pk"]
        verbose_name = _("policy event")
        verbose_name_plural = _("policy events")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PolicyEventKind.values), name="policy_event_kind_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind=PolicyEventKind.PUBLIC_COMMENT) | Q(deadline__isnull=False),
                name="public_comment_has_deadline",
                violation_error_message=_("A public-comment period needs its deadline."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=models.F("happens_on")),
                name="policy_event_deadline_after_start",
                violation_error_message=_("The deadline cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.happens_on:%Y-%m-%d}"


class MonitoringNote(Stamped):
    policy = models.ForeignKey(
        Policy, verbose_name=_("law or policy"), on_delete=models.CASCADE, related_name="notes"
    )
    noted_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("note"))

    class Meta:
        ordering = ["-noted_on", "-pk"]
        verbose_name = _("monitoring note")
        verbose_name_plural = _("monitoring notes")

    def __str__(self):
        return f"{self.noted_on:%Y-%m-%d}"


# --- UN mechanisms and reviews ------------------------------------------------------------


class MechanismKind(models.TextChoices):
    TREATY_BODY = "treaty_body", _("Treaty body")
    UPR = "upr", _("Universal Periodic Review")
    SPECIAL_PROCEDURE = "special_procedure", _("Special procedures")


class Mechanism(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MechanismKind.choices)
    name_ko = models.CharField(_("name (Korean)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names of this body, e.g. as written in UHRI exports."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("UN mechanism")
        verbose_name_plural = _("UN mechanisms")

    def __str__(self):
        return self.code

    name = bilingual_property("name_ko", "name_en")


class Review(Stamped):
    mechanism = models.ForeignKey(
        Mechanism, verbose_name=_("mechanism"), on_delete=models.PROTECT, related_name="reviews"
    )
    state = CountryField(_("State under review"), default="KR")
    cycle = models.CharField(
        _("cycle or periodic report"),
        max_length=60,
        help_text=_("e.g. 9th periodic report, UPR 4th cycle"),
    )
    session = models.CharField(_("session"), max_length=60, blank=True)
    document_symbol = models.CharField(
        _("concluding observations symbol"), max_length=60, blank=True, db_index=True
    )
    list_of_issues_on = models.DateField(_("list of issues"), null=True, blank=True, db_index=True)
    ngo_deadline = models.DateField(
        _("NGO submission deadline"), null=True, blank=True, db_index=True
    )
    dialogue_on = models.DateField(_("constructive dialogue"), null=True, blank=True, db_index=True)
    concluding_observations_on = models.DateField(
        _("concluding observations"), null=True, blank=True, db_index=True
    )
    follow_up_deadline = models.DateField(
        _("follow-up deadline"), null=True, blank=True, db_index=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-dialogue_on", "mechanism__order", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["mechanism", "state", "cycle"],
                name="review_unique_cycle",
                violation_error_message=_("This review is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.mechanism.code} {self.state.code} {self.cycle}"

    def key_dates(self) -> list[tuple[str, object]]:
        names = (
            "list_of_issues_on",
            "ngo_deadline",
            "dialogue_on",
            "concluding_observations_on",
            "follow_up_deadline",
        )
        return [
            (self._meta.get_field(n).verbose_name, getattr(self, n))
            for n in names
            if getattr(self, n)
        ]


# --- Submissions ----------------------------------------------------------------------------


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


# --- Thesauri -------------------------------------------------------------------------------


class Vocabulary(models.TextChoices):
    THEME = "theme", _("Theme")
    AFFECTED_PERSONS = "affected_persons", _("Affected persons")


class Term(models.Model):
    """One term of a thesaurus (UHRI themes, UHRI affected persons). The English
    label is the one UHRI uses, so imports match on it."""

    vocabulary = models.CharField(_("thesaurus"), max_length=20, choices=Vocabulary.choices)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ko = models.CharField(_("label (Korean)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader term"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["vocabulary", "label_en"]
        verbose_name = _("thesaurus term")
        verbose_name_plural = _("thesaurus terms")
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "label_en"],
                name="term_unique_label",
                violation_error_message=_("This term already exists."),
            ),
        ]

    def __str__(self):
        return self.label

    label = bilingual_property("label_ko", "label_en")


class SdgTarget(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True, help_text=_("e.g. 5.2"))
    goal = models.PositiveSmallIntegerField(_("goal"), db_index=True)
    label = models.CharField(_("label"), max_length=300, blank=True)

    class Meta:
        ordering = ["goal", "code"]
        verbose_name = _("SDG target")
        verbose_name_plural = _("SDG targets")

    def __str__(self):
        return self.code


class Cluster(Stamped):
    """Related recommendations grouped by the policy team (e.g. everything on
    the E-9 workplace-change rule across CEDAW, CERD and the UPR)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster of recommendations")
        verbose_name_plural = _("clusters of recommendations")

    def __str__(self):
        return self.name


# --- Recommendations and commitments ----------------------------------------------------


class Source(models.TextChoices):
    MECHANISM = "mechanism", _("UN mechanism")
    PLAN = "plan", _("National action plan")


class Position(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    NOTED = "noted", _("Noted")
    NONE = "none", _("No position")


class ImplementationStatus(models.TextChoices):
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented")
    PARTIALLY = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    REGRESSED = "regressed", _("Regressed")
    UNKNOWN = "unknown", _("Unknown")


class Recommendation(Stamped):
    """A UN recommendation, or a government commitment in a national action plan."""

    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.MECHANISM
    )
    mechanism = models.ForeignKey(
        Mechanism,
        verbose_name=_("mechanism"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    plan = models.ForeignKey(
        Policy,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        limit_choices_to={"kind": PolicyKind.NATIONAL_ACTION_PLAN},
    )
    review = models.ForeignKey(
        Review,
        verbose_name=_("review"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    text = models.TextField(_("text"))
    document_symbol = models.CharField(
        _("document symbol"), max_length=80, blank=True, db_index=True
    )
    paragraph = models.CharField(_("paragraph"), max_length=30, blank=True)
    paragraph_unparsed = models.BooleanField(
        _("paragraph not recognised"),
        default=False,
        help_text=_("The import could not read a paragraph number at the start of the text."),
    )
    issued_on = models.DateField(_("date"), null=True, blank=True, db_index=True)
    themes = models.ManyToManyField(
        Term,
        verbose_name=_("themes"),
        blank=True,
        related_name="recommendations_by_theme",
        limit_choices_to={"vocabulary": Vocabulary.THEME},
    )
    affected_persons = models.ManyToManyField(
        Term,
        verbose_name=_("affected persons"),
        blank=True,
        related_name="recommendations_by_persons",
        limit_choices_to={"vocabulary": Vocabulary.AFFECTED_PERSONS},
    )
    sdg_targets = models.ManyToManyField(
        SdgTarget, verbose_name=_("SDG targets"), blank=True, related_name="recommendations"
    )
    recommending_states = models.JSONField(_("recommending States (UPR)"), default=list, blank=True)
    position = models.CharField(
        _("position of the State"), max_length=16, choices=Position.choices, default=Position.NONE
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cluster"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    document_type = models.CharField(_("document type"), max_length=80, blank=True)
    upr_session = models.CharField(_("UPR session"), max_length=40, blank=True)
    countries_concerned = models.JSONField(_("countries concerned"), default=list, blank=True)
    uhri_annotation_id = models.CharField(
        _("OHCHR annotation id"), max_length=64, null=True, blank=True, editable=False
    )
    # Denormalised from the latest assessment by services.assessment_record.
    current_status = models.CharField(
        _("current status"),
        max_length=24,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.UNKNOWN,
        db_index=True,
        editable=False,
    )
    current_status_on = models.DateField(
        _("last assessed on"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-issued_on", "document_symbol", "paragraph", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [models.Index(fields=["document_symbol", "paragraph"])]
        constraints = [
            models.UniqueConstraint(
                fields=["uhri_annotation_id"],
                condition=Q(uhri_annotation_id__isnull=False),
                name="recommendation_unique_annotation",
                violation_error_message=_("A recommendation with this OHCHR annotation id exists."),
            ),
            models.CheckConstraint(
                condition=(Q(source=Source.MECHANISM) & Q(mechanism__isnull=False))
                | (Q(source=Source.PLAN) & Q(plan__isnull=False)),
                name="recommendation_source_given",
                violation_error_message=_(
                    "A recommendation needs its mechanism; a commitment needs its plan."
                ),
            ),
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="recommendation_position_known"
            ),
            models.CheckConstraint(
                condition=Q(current_status__in=ImplementationStatus.values),
                name="recommendation_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="recommendation_has_text",
                violation_error_message=_("The text is required."),
            ),
        ]

    def __str__(self):
        where = self.document_symbol or (self.plan.title if self.plan_id else "")
        return f"{where} ¶{self.paragraph}" if self.paragraph else where or f"#{self.pk}"

    @property
    def is_commitment(self) -> bool:
        return self.source == Source.PLAN

    @property
    def source_label(self) -> str:
        if self.source == Source.PLAN:
            return self.plan.title if self.plan_id else ""
        return self.mechanism.code if self.mechanism_id else ""


class Assessment(models.Model):
    """One dated judgement of implementation. Never edited: a new assessment
    supersedes the previous one and the history stays."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    assessed_on = models.DateField(_("assessed on"), db_index=True)
    status = models.CharField(_("status"), max_length=24, choices=ImplementationStatus.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        related_name="policy_assessments",
    )
    evidence = models.TextField(_("evidence"))
    policies = models.ManyToManyField(
        Policy, verbose_name=_("laws and policies"), blank=True, related_name="assessments"
    )
    policy_events = models.ManyToManyField(
        PolicyEvent, verbose_name=_("policy events"), blank=True, related_name="assessments"
    )
    submissions = models.ManyToManyField(
        Submission, verbose_name=_("submissions"), blank=True, related_name="assessments"
    )
    campaigns = models.ManyToManyField(
        "campaigns.Campaign", verbose_name=_("campaigns"), blank=True, related_name="assessments"
    )
    datasets = models.ManyToManyField(
        "statistics.StatisticsDataset",
        verbose_name=_("shadow-report datasets"),
        blank=True,
        related_name="assessments",
    )
    # Services, API, form and filters pick up every many-to-many field of this
    # model (services.ASSESSMENT_LINKS).
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-created_at", "-pk"]
        verbose_name = _("implementation assessment")
        verbose_name_plural = _("implementation assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImplementationStatus.values),
                name="assessment_status_known",
            ),
        ]

    def __str__(self):
        return f"{self.assessed_on:%Y-%m-%d} {self.get_status_display()}"


# --- Imports -------------------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(PrivateFileModel):
    """One UHRI file being imported: progress counters while it runs, and the
    row-by-row report when it is done."""

    file_area = "policy"
    file_field = "file_storage_name"

    file_name = models.CharField(_("file"), max_length=200)
    file_storage_name = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("UHRI import")
        verbose_name_plural = _("UHRI imports")

    def __str__(self):
        return self.file_name

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)
