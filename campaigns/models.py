"""Coalitions, campaigns and what they do: demands to authorities, actions,
sign-on letters and petitions, and the coordinators' tasks.

Partners are organisations of the one shared directory (ngo.directory). Rules
the database can hold are constraints; the services add the rules that need
other rows (no overlapping membership periods)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ngo.lib.i18n import bilingual_property
from ngo.lib.private_files import PrivateFileModel
from ngo.lib.versions import Versioned


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    STEERING = "steering", _("Steering committee")
    MEMBER = "member", _("Member")
    OBSERVER = "observer", _("Observer")


class Coalition(Versioned, models.Model):
    """A standing network of organisations (the Korea Refugee Support Network,
    the Migrant Forum in Asia ...). Memberships keep their history."""

    name_ko = models.CharField(_("name (Korean)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    centre_role = models.CharField(
        _("the centre's role"),
        max_length=10,
        choices=MembershipRole.choices,
        blank=True,
        help_text=_("Leave empty if the centre is not a member."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name_ko", "name_en"]
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name_ko="") | ~models.Q(name_en=""),
                name="coalition_has_a_name",
                violation_error_message=_("Give the name in Korean or in English."),
            ),
        ]

    def __str__(self):
        return self.name

    name = bilingual_property("name_ko", "name_en")


class Membership(Versioned, models.Model):
    """One period of an organisation in a coalition. Leaving sets left_on; the
    row stays as history. A later re-joining is a new row."""

    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("coalition")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="coalition_memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["coalition", "left_on", "-joined_on", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("An organisation cannot leave before it joined."),
            ),
            models.UniqueConstraint(
                fields=["coalition", "organisation"],
                condition=models.Q(left_on__isnull=True),
                name="membership_one_active_per_organisation",
                violation_error_message=_(
                    "This organisation is already a member of the coalition."
                ),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "left_on"])]

    def __str__(self):
        return f"{self.organisation} – {self.coalition}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class CampaignType(models.TextChoices):
    LAW_REFORM = "law_reform", _("Law reform")
    POLICY_CHANGE = "policy_change", _("Policy change")
    RIGHTS_AWARENESS = "awareness", _("Public awareness")
    INTERNATIONAL = "international", _("International advocacy")
    SOLIDARITY = "solidarity", _("Solidarity")
    OTHER = "other", _("Other")


class CampaignStatus(models.TextChoices):
    PLANNING = "planning", _("Planning")
    ACTIVE = "active", _("Active")
    WON = "won", _("Won")
    PARTLY_WON = "partly_won", _("Partly won")
    LOST = "lost", _("Lost")
    SUSPENDED = "suspended", _("Suspended")


CLOSED_STATUSES = (CampaignStatus.WON, CampaignStatus.PARTLY_WON, CampaignStatus.LOST)


class Campaign(Versioned, models.Model):
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), blank=True)
    campaign_type = models.CharField(
        _("type"), max_length=16, choices=CampaignType.choices, default=CampaignType.POLICY_CHANGE
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CampaignStatus.choices,
        default=CampaignStatus.PLANNING,
        db_index=True,
    )
    coalition = models.ForeignKey(
        Coalition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("run through coalition"),
        help_text=_("Leave empty if the centre runs the campaign alone."),
    )
    lead_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_campaigns",
        verbose_name=_("lead organisation"),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
                violation_error_message=_("The campaign cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CampaignStatus.PLANNING)
                | (models.Q(outcome="") & models.Q(outcome_on__isnull=True)),
                name="campaign_no_outcome_while_planning",
                violation_error_message=_(
                    "A campaign still in planning has no outcome yet. Change its status first."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CampaignStatus.values),
                name="campaign_status_known",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def runs_through_coalition(self) -> bool:
        return self.coalition_id is not None


class Demand(Versioned, models.Model):
    """What the campaign asks, and of which authority (a ministry, the National
    Assembly, a local government, a UN body: an organisation of the directory)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="demands", verbose_name=_("campaign")
    )
    text = models.TextField(_("demand"))
    addressed_to = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="demands_received",
        verbose_name=_("addressed to"),
    )
    # The law or plan the demand is about, once policy monitoring tracks it.
    policy = models.ForeignKey(
        "policy_monitor.Policy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_demands",
        verbose_name=_("law or policy"),
    )
    # The UN recommendations or plan commitments the demand presses for.
    recommendations = models.ManyToManyField(
        "policy_monitor.Recommendation",
        blank=True,
        related_name="campaign_demands",
        verbose_name=_("recommendations"),
    )
    response = models.TextField(_("authority's response"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["campaign", "position", "id"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="demand_has_text"),
        ]

    def __str__(self):
        return self.text[:60]


class ActionType(models.TextChoices):
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    RALLY = "rally", _("Rally")
    FORUM = "forum", _("Forum")
    SIGN_ON_LETTER = "sign_on_letter", _("Sign-on letter")
    PETITION = "petition", _("Petition")
    MEETING_OFFICIALS = "meeting_officials", _("Meeting with officials")
    PUBLIC_COMMENT = "public_comment", _("Public comment")
    MEDIA_WORK = "media_work", _("Media work")
    INTERNATIONAL_ADVOCACY = "international_advocacy", _("International advocacy")


class CampaignAction(Versioned, models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="actions", verbose_name=_("campaign")
    )
    action_type = models.CharField(_("type"), max_length=24, choices=ActionType.choices)
    title = models.CharField(_("title"), max_length=200)
    occurred_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="campaign_actions",
        verbose_name=_("organisations involved"),
    )
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    follow_up = models.TextField(_("follow-up notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action_type__in=ActionType.values), name="action_type_known"
            ),
        ]

    def __str__(self):
        return self.title


class ActionFile(PrivateFileModel):
    """A file of an action (statement, photos, press release). Stored encrypted
    outside any public path; served only by a permission-checked, audited view."""

    file_area = "campaigns"

    action = models.ForeignKey(
        CampaignAction, on_delete=models.CASCADE, related_name="files", verbose_name=_("action")
    )
    title = models.CharField(_("title"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=80, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("action file")
        verbose_name_plural = _("action files")

    def __str__(self):
        return self.title


class SignOnKind(models.TextChoices):
    LETTER = "letter", _("Sign-on letter")
    PETITION = "petition", _("Petition")


class SignOn(Versioned, models.Model):
    """A sign-on letter or petition of a campaign: organisations sign it (each
    once), individual signatures are counted."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="sign_ons", verbose_name=_("campaign")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=SignOnKind.choices, default=SignOnKind.LETTER
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    individual_signatures = models.PositiveIntegerField(_("individual signatures"), default=0)
    addressed_to = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sign_ons_received",
        verbose_name=_("addressed to"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sign-on")
        verbose_name_plural = _("sign-ons")

    def __str__(self):
        return self.title


class Signatory(models.Model):
    sign_on = models.ForeignKey(
        SignOn, on_delete=models.CASCADE, related_name="signatories", verbose_name=_("sign-on")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("organisation"),
    )
    signed_on = models.DateField(_("signed on"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["sign_on", "signed_on", "id"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["sign_on", "organisation"],
                name="signatory_once_per_sign_on",
                violation_error_message=_("This organisation has already signed."),
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class CampaignTask(Versioned, models.Model):
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("campaign")
    )
    title = models.CharField(_("title"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_tasks",
        verbose_name=_("assignee"),
    )
    due_on = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["done", "due_on", "id"]
        verbose_name = _("campaign task")
        verbose_name_plural = _("campaign tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done=False, done_at__isnull=True)
                | models.Q(done=True, done_at__isnull=False),
                name="campaign_task_done_has_time",
            ),
        ]
        indexes = [models.Index(fields=["done", "due_on"])]

    def __str__(self):
        return self.title
