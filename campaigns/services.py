"""Every write of the campaigns app: atomic, keyword-only, the acting user
passed in, validated (full_clean) before saving, and audited with field names
only. Views, serializers and the demo call these; nothing else writes."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import (
    ActionFile,
    Campaign,
    CampaignAction,
    CampaignTask,
    Coalition,
    Demand,
    Membership,
    Signatory,
    SignOn,
)
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, audited_create, audited_update
from ngo.lib import private_files
from ngo.lib.versions import claim_version
from policy_monitor import evidence

COALITION_FIELDS = ("name_ko", "name_en", "purpose", "founded_on", "centre_role", "is_active")
MEMBERSHIP_FIELDS = ("role", "joined_on", "left_on", "notes")
CAMPAIGN_FIELDS = (
    "title",
    "goal",
    "campaign_type",
    "status",
    "coalition",
    "lead_organisation",
    "starts_on",
    "ends_on",
    "outcome",
    "outcome_on",
)
DEMAND_FIELDS = ("text", "addressed_to", "policy", "response", "position")
# The recommendations a demand presses for (the evidence chain, policy_monitor.evidence).
DEMAND_M2M = ("recommendations",)
ACTION_FIELDS = (
    "action_type",
    "title",
    "occurred_on",
    "place",
    "participants",
    "links",
    "follow_up",
)
SIGN_ON_FIELDS = ("kind", "title", "text", "deadline", "individual_signatures", "addressed_to")
TASK_FIELDS = ("title", "assignee", "due_on")


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


# --- Coalitions and memberships ---------------------------------------------------------------


@transaction.atomic
def coalition_create(*, actor, **values) -> Coalition:
    return audited_create(
        Coalition,
        actor=actor,
        values=values,
        allowed=COALITION_FIELDS,
        extra={"created_by": _actor(actor)},
    )


@transaction.atomic
def coalition_update(
    *, actor, coalition: Coalition, expected_version: int | None = None, **values
) -> Coalition:
    audited_update(
        coalition,
        actor=actor,
        values=values,
        allowed=COALITION_FIELDS,
        expected_version=expected_version,
    )
    return coalition


def _check_membership_period(membership: Membership) -> None:
    """Periods of the same organisation in the same coalition must not overlap."""
    if membership.left_on is not None and membership.left_on < membership.joined_on:
        raise ValidationError({"left_on": _("An organisation cannot leave before it joined.")})
    others = Membership.objects.filter(
        coalition_id=membership.coalition_id, organisation_id=membership.organisation_id
    ).exclude(pk=membership.pk)
    start, end = membership.joined_on, membership.left_on
    for other in others:
        other_end = other.left_on
        starts_before_other_ends = other_end is None or start <= other_end
        ends_after_other_starts = end is None or end >= other.joined_on
        if starts_before_other_ends and ends_after_other_starts:
            if other_end is None:
                message = _("This organisation is already a member of the coalition.")
            else:
                message = _("This period overlaps an earlier membership (%(start)s – %(end)s).") % {
                    "start": other.joined_on,
                    "end": other_end,
                }
            raise ValidationError({"joined_on": message})


@transaction.atomic
def membership_add(*, actor, coalition: Coalition, organisation, **values) -> Membership:
    membership = Membership(
        coalition=coalition,
        organisation=organisation,
        **{k: v for k, v in values.items() if k in MEMBERSHIP_FIELDS},
    )
    membership.full_clean()
    _check_membership_period(membership)
    membership.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=membership,
        fields=["organisation", *[k for k in values if k in MEMBERSHIP_FIELDS]],
    )
    return membership


@transaction.atomic
def membership_update(
    *, actor, membership: Membership, expected_version: int | None = None, **values
) -> Membership:
    audited_update(
        membership,
        actor=actor,
        values=values,
        allowed=MEMBERSHIP_FIELDS,
        before_save=_check_membership_period,
        expected_version=expected_version,
    )
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, left_on=None) -> Membership:
    """Leaving ends the membership; the row stays as history."""
    if membership.left_on is not None:
        raise ValidationError({"left_on": _("This membership has already ended.")})
    membership.left_on = left_on or timezone.localdate()
    membership.full_clean()
    _check_membership_period(membership)
    claim_version(membership)
    membership.save(update_fields=["left_on", "version"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=membership, fields=["left_on"])
    return membership


# --- Campaigns and demands --------------------------------------------------------------------


def _touch(campaign: Campaign) -> None:
    campaign.updated_at = timezone.now()


@transaction.atomic
def campaign_create(*, actor, **values) -> Campaign:
    return audited_create(
        Campaign,
        actor=actor,
        values=values,
        allowed=CAMPAIGN_FIELDS,
        extra={"created_by": _actor(actor)},
    )


@transaction.atomic
def campaign_update(
    *, actor, campaign: Campaign, expected_version: int | None = None, **values
) -> Campaign:
    audited_update(
        campaign,
        actor=actor,
        values=values,
        allowed=CAMPAIGN_FIELDS,
        before_save=_touch,
        expected_version=expected_version,
    )
    return campaign


@transaction.atomic
def demand_add(*, actor, campaign: Campaign, **values) -> Demand:
    evidence.check_recommendations(
        actor=_actor(actor), recommendations=values.get("recommendations")
    )
    return audited_create(
        Demand,
        actor=actor,
        values=values,
        allowed=DEMAND_FIELDS,
        extra={"campaign": campaign},
        m2m=DEMAND_M2M,
    )


@transaction.atomic
def demand_update(
    *, actor, demand: Demand, expected_version: int | None = None, **values
) -> Demand:
    evidence.check_recommendations(
        actor=_actor(actor), recommendations=values.get("recommendations")
    )
    audited_update(
        demand,
        actor=actor,
        values=values,
        allowed=DEMAND_FIELDS,
        m2m=DEMAND_M2M,
        expected_version=expected_version,
    )
    return demand


@transaction.atomic
def demand_remove(*, actor, demand: Demand) -> None:
    audit_record(action=AuditAction.DELETE, actor=actor, obj=demand)
    demand.delete()


# --- Actions and their files ------------------------------------------------------------------


def _clean_links(links) -> list[str]:
    from django.core.validators import URLValidator

    cleaned = []
    validate = URLValidator(schemes=["http", "https"])
    for link in links or []:
        link = str(link).strip()
        if not link:
            continue
        try:
            validate(link)
        except ValidationError:
            raise ValidationError(
                {
                    "links": _("%(link)s is not a web address (http:// or https://).")
                    % {"link": link[:80]}
                }
            ) from None
        cleaned.append(link[:500])
    if len(cleaned) > 20:
        raise ValidationError({"links": _("At most 20 links.")})
    return cleaned


@transaction.atomic
def action_record(*, actor, campaign: Campaign, organisations=(), **values) -> CampaignAction:
    if "links" in values:
        values["links"] = _clean_links(values["links"])
    action = audited_create(
        CampaignAction,
        actor=actor,
        values=values,
        allowed=ACTION_FIELDS,
        extra={"campaign": campaign, "created_by": _actor(actor)},
    )
    if organisations:
        action.organisations.set(organisations)
    return action


@transaction.atomic
def action_update(
    *,
    actor,
    action: CampaignAction,
    organisations=None,
    expected_version: int | None = None,
    **values,
) -> CampaignAction:
    if "links" in values:
        values["links"] = _clean_links(values["links"])
    audited_update(
        action,
        actor=actor,
        values={**values, "organisations": organisations},
        allowed=ACTION_FIELDS,
        m2m=("organisations",),
        expected_version=expected_version,
    )
    return action


ALLOWED_FILE_TYPES = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/zip": ("docx", "xlsx", "pptx", "hwpx"),
    "application/x-hwp": ("hwp",),
    "application/x-ole-storage": ("hwp", "doc", "xls", "ppt"),
    "application/msword": ("doc",),
}


ACTION_FILE_AREA = ActionFile.file_area


def action_file_upload(
    *, actor, action: CampaignAction, uploaded_file, title: str = ""
) -> ActionFile:
    """Check the file by its content, encrypt it, store it outside any public path."""
    size = uploaded_file.size
    if size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
            }
        )
    if not size:
        raise ValidationError({"file": _("The file is empty.")})
    data = b"".join(uploaded_file.chunks())
    mime = private_files.detect_type(data[:8192])
    name = (uploaded_file.name or "").rsplit("/", 1)[-1][:255]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if mime not in ALLOWED_FILE_TYPES or extension not in ALLOWED_FILE_TYPES[mime]:
        raise ValidationError(
            {
                "file": _(
                    "Only PDF, image, Office and Hangul files can be uploaded, "
                    "with a name that matches the content."
                )
            }
        )
    with private_files.stored(ACTION_FILE_AREA, data) as storage_name, transaction.atomic():
        stored = ActionFile(
            action=action,
            title=(title or name)[:200],
            original_name=name,
            content_type=mime,
            size=size,
            sha256=hashlib.sha256(data).hexdigest(),
            storage_name=storage_name,
            uploaded_by=actor,
        )
        stored.full_clean()
        stored.save()
        audit_record(action=AuditAction.CREATE, actor=actor, obj=stored, fields=["file", "title"])
    return stored


def action_file_content(stored: ActionFile) -> bytes:
    """The decrypted bytes; callers fetch the file through the access module (audited)."""
    return private_files.read(ACTION_FILE_AREA, stored.storage_name)


# --- Sign-ons -------------------------------------------------------------------------------


@transaction.atomic
def sign_on_create(*, actor, campaign: Campaign, **values) -> SignOn:
    return audited_create(
        SignOn,
        actor=actor,
        values=values,
        allowed=SIGN_ON_FIELDS,
        extra={"campaign": campaign, "created_by": _actor(actor)},
    )


@transaction.atomic
def sign_on_update(
    *, actor, sign_on: SignOn, expected_version: int | None = None, **values
) -> SignOn:
    audited_update(
        sign_on,
        actor=actor,
        values=values,
        allowed=SIGN_ON_FIELDS,
        expected_version=expected_version,
    )
    return sign_on


def signatory_add(*, actor, sign_on: SignOn, organisation, signed_on=None) -> Signatory:
    """An organisation signs. Signing twice is refused with a clear message,
    by the model check and, under a race, by the unique constraint."""
    signatory = Signatory(sign_on=sign_on, organisation=organisation)
    if signed_on is not None:
        signatory.signed_on = signed_on
    signatory.full_clean()  # validate_constraints: "already signed"
    try:
        with transaction.atomic():
            signatory.save()
            audit_record(
                action=AuditAction.CREATE, actor=actor, obj=signatory, fields=["organisation"]
            )
    except IntegrityError:
        raise ValidationError(
            {"organisation": _("This organisation has already signed.")}
        ) from None
    return signatory


@transaction.atomic
def signatory_remove(*, actor, signatory: Signatory) -> None:
    audit_record(action=AuditAction.DELETE, actor=actor, obj=signatory)
    signatory.delete()


# --- Tasks ------------------------------------------------------------------------------------


@transaction.atomic
def task_add(*, actor, campaign: Campaign, **values) -> CampaignTask:
    return audited_create(
        CampaignTask,
        actor=actor,
        values=values,
        allowed=TASK_FIELDS,
        extra={"campaign": campaign, "created_by": _actor(actor)},
    )


@transaction.atomic
def task_update(
    *, actor, task: CampaignTask, expected_version: int | None = None, **values
) -> CampaignTask:
    audited_update(
        task, actor=actor, values=values, allowed=TASK_FIELDS, expected_version=expected_version
    )
    return task


@transaction.atomic
def task_set_done(*, actor, task: CampaignTask, done: bool) -> CampaignTask:
    if task.done == done:
        return task
    task.done = done
    task.done_at = timezone.now() if done else None
    task.full_clean()
    claim_version(task)
    task.save(update_fields=["done", "done_at", "version"])
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=task, fields=["done"])
    return task
