"""The client's consent decisions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counselling.consent_texts import selectors as consent_texts
from counselling.models import (
    CaseActivity,
    Client,
    Consent,
    ConsentPurpose,
    Document,
    DocumentCategory,
)
from counselling.selectors import consent_summary
from counselling.services._common import _activity
from counselling.services.documents import document_upload
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
    interpreter_explained: bool = False,
    explanation: consent_texts.Explanation | None = None,
) -> Consent:
    """Record a decision; a withdrawal is `given=False` and applies at once to
    everything that checks consent (new referrals, statistics, advocacy). The
    consent keeps the versions of the texts she was shown in the language of
    the explanation (Korean and English where that language has none)."""
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
        interpreter_explained=interpreter_explained,
    )
    consent.full_clean()
    consent.save()
    explanation = explanation or consent_texts.explanation(explanation_language)
    consent.texts_shown.set(explanation.texts_for(purpose))
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


def consents_record(
    *,
    actor: User,
    client: Client,
    decisions: Iterable[dict],
    explanation_language: str,
    interpreter_explained: bool = False,
) -> list[Consent]:
    """The decisions of one sitting (intake): each purpose she was asked about,
    given or refused, explained in one language. Raises on the first bad one;
    the caller's transaction then keeps none."""
    decisions = list(decisions)
    purposes = [decision["purpose"] for decision in decisions]
    if len(set(purposes)) != len(purposes):
        raise ValidationError({"consents": _("Each purpose can be decided once.")})
    explanation = consent_texts.explanation(explanation_language)
    return [
        consent_record(
            actor=actor,
            client=client,
            purpose=decision["purpose"],
            given=decision["given"],
            organisation_kinds=decision.get("organisation_kinds") or (),
            explanation_language=explanation_language,
            interpreter_explained=interpreter_explained,
            explanation=explanation,
        )
        for decision in decisions
    ]


@transaction.atomic
def consent_attach_signed_form(
    *, actor: User, client: Client, uploaded_file, title: str = ""
) -> tuple[Document, list[Consent]]:
    """Store the scan of the form she signed as one of her documents (the
    document checks apply) and link it from the decisions in force that have
    no signed form yet."""
    unsigned = [
        consent
        for consent in consent_summary(client=client).values()
        if consent is not None and consent.signed_form_id is None
    ]
    if not unsigned:
        raise ValidationError(
            {"file": _("Every decision in force already has its signed form, or none is recorded.")}
        )
    document = document_upload(
        actor=actor,
        client=client,
        uploaded_file=uploaded_file,
        title=title or _("Signed consent form"),
        category=DocumentCategory.CONSENT_FORM,
    )
    for consent in unsigned:
        consent.signed_form = document
        consent.save(update_fields=["signed_form"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=consent,
            fields=["signed_form"],
            reason="signed_form",
        )
    return document, unsigned


def consent_in_force(client: Client, purpose: str) -> Consent | None:
    """The newest decision for the purpose, if it is a yes."""
    latest = client.consents.filter(purpose=purpose).order_by("-recorded_at", "-id").first()
    return latest if latest is not None and latest.given else None
