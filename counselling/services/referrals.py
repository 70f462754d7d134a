"""Referrals to other organisations and their progress."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.models import (
    REFERRAL_TRANSITIONS,
    Case,
    CaseActivity,
    ConsentPurpose,
    Referral,
    ReferralStatus,
)
from counselling.services._common import OVERRIDE_MIN_LENGTH, _activity, _must_be_open
from counselling.services.consents import consent_in_force
from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib.versions import claim_version


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Case,
    organisation,
    reason: str | None = None,
    shares_personal_data: bool = True,
    override_reason: str = "",
    sent_on: date | None = None,
) -> Referral:
    """Refer her to an organisation. Sharing her data needs her consent for that
    kind of organisation, or an override with a reason (audited)."""
    _must_be_open(case)
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    consent = None
    override_reason = (override_reason or "").strip()
    if shares_personal_data:
        in_force = consent_in_force(case.client, ConsentPurpose.SHARE_REFERRAL)
        if in_force is not None and organisation.kind in in_force.organisation_kinds:
            consent, override_reason = in_force, ""
        elif len(override_reason) < OVERRIDE_MIN_LENGTH:
            raise ValidationError(
                {
                    "override_reason": _(
                        "She has not consented to sharing her data with this kind of organisation. "
                        "Record her consent first, or explain in at least %(n)d characters why it "
                        "must be shared without it."
                    )
                    % {"n": OVERRIDE_MIN_LENGTH}
                }
            )
    else:
        override_reason = ""
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("The date cannot be in the future.")})
    referral = Referral(
        case=case,
        organisation=organisation,
        reason=reason,
        shares_personal_data=shares_personal_data,
        consent=consent,
        consent_override_reason=override_reason,
        sent_on=sent_on,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=referral,
        fields=["organisation", "shares_personal_data"],
        reason="consent_override" if override_reason else "",
    )
    _activity(
        kind=CaseActivity.Kind.REFERRAL,
        actor=actor,
        client=case.client,
        case=case,
        obj=referral,
        label=f"{organisation.kind}:sent",
    )
    return referral


@transaction.atomic
def referral_change_status(
    *, actor: User, referral: Referral, to: str, on: date | None = None
) -> Referral:
    allowed = REFERRAL_TRANSITIONS.get(referral.status, set())
    if to not in allowed:
        raise ValidationError(
            {
                "status": _("A referral cannot go from %(a)s to %(b)s.")
                % {"a": referral.get_status_display(), "b": to}
            }
        )
    on = on or timezone.localdate()
    if on < referral.sent_on or on > timezone.localdate():
        raise ValidationError({"on": _("The date must be between sending and today.")})
    if to in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
        referral.responded_on = on
    if to == ReferralStatus.COMPLETED:
        referral.completed_on = on
    referral.status = to
    referral.full_clean()
    claim_version(referral)
    referral.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=referral, fields=["status"], reason=to)
    _activity(
        kind=CaseActivity.Kind.REFERRAL,
        actor=actor,
        client=referral.case.client,
        case=referral.case,
        obj=referral,
        label=f"{referral.organisation.kind}:{to}",
    )
    return referral
