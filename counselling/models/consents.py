"""The client's consent decisions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.models.choices import REFERRAL_ORGANISATION_KINDS, ConsentPurpose
from counselling.models.clients import Client
from counselling.record import Record
from ngo.lib.codes import ChoiceListValidator, validate_language_code


class Consent(Record):
    """One consent decision. The history is kept; the newest record of a purpose
    is in force. A withdrawal is a new record."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"), help_text=_("Unticked: refused or withdrawn."))
    organisation_kinds = models.JSONField(
        _("organisation kinds"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(REFERRAL_ORGANISATION_KINDS)],
        help_text=_("For sharing: the kinds of organisation she agreed to."),
    )
    decided_on = models.DateField(_("date"), default=timezone.localdate)
    explanation_language = models.CharField(
        _("language of the explanation"), max_length=3, validators=[validate_language_code]
    )
    interpreter_explained = models.BooleanField(_("explained by an interpreter"), default=False)
    texts_shown = models.ManyToManyField(
        "consent_texts.ConsentText",
        blank=True,
        related_name="+",
        verbose_name=_("texts she was shown"),
        help_text=_("The versions of the explanation she was shown, in her language."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    signed_form = models.ForeignKey(
        "counselling.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed form"),
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    @property
    def audit_branch_id(self):
        return self.client.branch_id
