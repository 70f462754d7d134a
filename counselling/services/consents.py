"""The client's consent decisions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import (
    CaseActivity,
    Client,
    Consent,
    ConsentPurpose,
    Document,
)
from counselling.services._common import _activity
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record


@transaction.atomic
def consent_record(
    *,
    actor: User,
    client: Client,
    purpose: str,
    given: bool,
    explanation_language: str,
    organisation_kinds: Iterable[str] = (),
    decided_on: date | None = None,
    signed_form: Document | None = None,
) -> Consent:
    """Record a decision; a withdrawal is `given=False` and applies at once to
    everything that checks consent (new referrals, statistics, advocacy)."""
    kinds = list(organisation_kinds)
    if purpose == ConsentPurpose.SHARE_REFERRAL and given and not kinds:
        raise ValidationError(
            {"organisation_kinds": _("Say which kinds of organisation she agreed to.")}
        )
    if decided_on and decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("The date cannot be in the future.")})
    if signed_form is not None and signed_form.client_id != client.pk:
        raise ValidationError({"signed_form": _("That document belongs to someone else.")})
    consent = Consent(
        client=client,
        purpose=purpose,
        given=given,
        organisation_kinds=kinds,
        explanation_language=explanation_language,
        recorded_by=actor,
        decided_on=decided_on or timezone.localdate(),
        signed_form=signed_form,
    )
    consent.full_clean()
    consent.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=consent,
        fields=["purpose", "given"],
        reason=f"{purpose}:{'given' if given else 'no'}",
    )
    _activity(
        kind=CaseActivity.Kind.CONSENT,
        actor=actor,
        client=client,
        obj=consent,
        label=f"{purpose}:{'given' if given else 'withdrawn'}",
    )
    return consent


def consent_in_force(client: Client, purpose: str) -> Consent | None:
    """The newest decision for the purpose, if it is a yes."""
    latest = client.consents.filter(purpose=purpose).order_by("-recorded_at", "-id").first()
    return latest if latest is not None and latest.given else None
