"""Risk assessments and safety plans."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.models.cases import Case
from counselling.models.choices import RiskLevel
from counselling.record import Record
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned

# Danger indicators (yes/no) with their weight in the score. Modelled on the
# Danger Assessment and the questions migrant-women's centres add about
# residence status and documents.
RISK_INDICATORS = {
    "threats_to_kill": (3, _("He has threatened to kill her (or the children)")),
    "weapon": (3, _("He has used or threatened her with a weapon")),
    "strangulation": (3, _("He has choked or strangled her")),
    "escalation": (2, _("The violence is getting worse or more frequent")),
    "controlling_jealousy": (1, _("He is violently and constantly jealous or controlling")),
    "pregnancy": (2, _("She is pregnant or gave birth within the last year")),
    "recent_separation": (2, _("She has left him or is about to")),
    "residence_threats": (2, _("He threatens her residence status or deportation")),
    "documents_withheld": (1, _("He keeps her passport, alien card or other documents")),
    "children_at_risk": (2, _("The children are at risk or have been hurt")),
    "sexual_violence": (2, _("He forces her to have sex")),
    "substance_abuse": (1, _("He abuses alcohol or drugs")),
    "isolation": (1, _("She is isolated from family, friends or her community")),
    "stalking": (1, _("He follows, watches or harasses her")),
    "suicide_threats": (1, _("He threatens suicide")),
}


class RiskAssessment(Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score"))
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)
    follow_up_by = models.DateTimeField(_("follow up by"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)

    class Meta:
        ordering = ["-assessed_at"]
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")

    @property
    def audit_branch_id(self):
        return self.case.branch_id


class SafetyPlan(Versioned, Record):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_plans")
    risk_assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = EncryptedTextField(_("notes"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(is_active=True),
                name="one_active_safety_plan_per_case",
            )
        ]

    @property
    def audit_branch_id(self):
        return self.case.branch_id


class SafetyPlanItem(Record):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="items")
    action = EncryptedTextField(_("action"))
    responsible = models.CharField(_("who"), max_length=150)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_on", "id"]


class SafetyPlanReview(Record):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"), default=timezone.localdate)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("note"), null=True, blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-id"]
