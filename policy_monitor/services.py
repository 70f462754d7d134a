"""Every write on policy records. Each service is atomic, takes the acting
user, validates before it saves (nothing half-saved) and writes its audit event
(field names only) in the same transaction.

Callers fetch records through ngo.access first (404 outside the user's
scope, 403 for a read-only role); services check what only they can know.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record, audited_create, audited_update
from ngo.directory.models import Organisation, OrganisationKind
from ngo.lib import private_files
from ngo.lib.changes import apply_changes, set_many_to_many
from ngo.lib.versions import bump_version, claim_version
from policy_monitor import evidence
from policy_monitor.models import (
    Assessment,
    Cluster,
    MonitoringNote,
    Policy,
    PolicyEvent,
    PolicyKind,
    Recommendation,
    Review,
    Source,
    Submission,
    Term,
    WordLimit,
)

POLICY_FIELDS = (
    "kind",
    "title_ko",
    "title_en",
    "number",
    "responsible_body",
    "status",
    "proposed_on",
    "enacted_on",
    "in_force_on",
    "ends_on",
    "summary",
    "url",
)
EVENT_FIELDS = ("kind", "title", "happens_on", "deadline", "place", "notes")
EVENT_M2M = ("organisations_present", "participants")
NOTE_FIELDS = ("noted_on", "text")
REVIEW_FIELDS = (
    "mechanism",
    "state",
    "cycle",
    "session",
    "document_symbol",
    "list_of_issues_on",
    "ngo_deadline",
    "dialogue_on",
    "concluding_observations_on",
    "follow_up_deadline",
    "notes",
)
SUBMISSION_FIELDS = (
    "kind",
    "title",
    "addressed_body",
    "review",
    "policy",
    "lead_organisation",
    "status",
    "submitted_on",
    "due_on",
    "language",
    "summary",
)
SUBMISSION_M2M = ("co_signers", "datasets")
RECOMMENDATION_FIELDS = (
    "source",
    "mechanism",
    "plan",
    "review",
    "text",
    "document_symbol",
    "paragraph",
    "issued_on",
    "recommending_states",
    "position",
    "cluster",
    "document_type",
    "upr_session",
)
RECOMMENDATION_M2M = ("themes", "affected_persons", "sdg_targets")
# What an assessment links to: every many-to-many field of Assessment, so that
# linking campaigns or shadow-report datasets is one ManyToManyField on the model.
ASSESSMENT_LINKS = tuple(field.name for field in Assessment._meta.many_to_many)
CLUSTER_FIELDS = ("name", "description")
TERM_FIELDS = ("vocabulary", "label_en", "label_ko", "parent")
WORD_LIMIT_FIELDS = ("mechanism", "kind", "max_words", "max_words_joint", "note")

MAX_FILE_BYTES = 20 * 1024 * 1024
TEXT_EXTENSIONS = {".txt", ".docx"}
FILE_EXTENSIONS = TEXT_EXTENSIONS | {".pdf", ".odt", ".hwp", ".hwpx"}


def _pick(values: dict, allowed: Iterable[str]) -> dict:
    return {k: v for k, v in values.items() if k in allowed}


def _create(model, *, actor: User | None, values: dict, fields, m2m=(), before_save=None, **extra):
    """The record from `values`, audited; its author is the actor where the model
    records one."""
    if hasattr(model, "created_by_id") and actor is not None and "created_by" not in extra:
        extra["created_by"] = actor
    return audited_create(
        model,
        actor=actor,
        values=values,
        allowed=fields,
        extra=extra,
        m2m=m2m,
        before_save=before_save,
    )


def _update(obj, *, actor: User, values: dict, fields, **options):
    """audited_update with `options` (m2m, before_save, expected_version)."""
    obj.changed_fields = audited_update(obj, actor=actor, values=values, allowed=fields, **options)
    return obj


def _government(body: Organisation | None, field: str) -> None:
    if body is not None and body.kind != OrganisationKind.GOVERNMENT:
        raise ValidationError({field: _("Choose a government body from the directory.")})


# --- Laws, policies, plans ---------------------------------------------------------------


@transaction.atomic
def policy_create(*, actor: User, **values) -> Policy:
    _government(values.get("responsible_body"), "responsible_body")
    return _create(Policy, actor=actor, values=values, fields=POLICY_FIELDS)


@transaction.atomic
def policy_update(
    *, actor: User, policy: Policy, expected_version: int | None = None, **values
) -> Policy:
    if "responsible_body" in values:
        _government(values["responsible_body"], "responsible_body")
    if (
        "kind" in values
        and values["kind"] != PolicyKind.NATIONAL_ACTION_PLAN
        and policy.commitments.exists()
    ):
        raise ValidationError(
            {"kind": _("This plan has commitments; it must stay a national action plan.")}
        )
    return _update(
        policy, actor=actor, values=values, fields=POLICY_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def policy_event_create(*, actor: User, policy: Policy, **values) -> PolicyEvent:
    return _create(
        PolicyEvent, actor=actor, values=values, fields=EVENT_FIELDS, m2m=EVENT_M2M, policy=policy
    )


@transaction.atomic
def policy_event_update(
    *, actor: User, event: PolicyEvent, expected_version: int | None = None, **values
) -> PolicyEvent:
    return _update(
        event,
        actor=actor,
        values=values,
        fields=EVENT_FIELDS,
        m2m=EVENT_M2M,
        expected_version=expected_version,
    )


@transaction.atomic
def monitoring_note_create(*, actor: User, policy: Policy, **values) -> MonitoringNote:
    return _create(MonitoringNote, actor=actor, values=values, fields=NOTE_FIELDS, policy=policy)


@transaction.atomic
def monitoring_note_update(
    *, actor: User, note: MonitoringNote, expected_version: int | None = None, **values
) -> MonitoringNote:
    return _update(
        note, actor=actor, values=values, fields=NOTE_FIELDS, expected_version=expected_version
    )


# --- Reviews ---------------------------------------------------------------------------------


@transaction.atomic
def review_create(*, actor: User, **values) -> Review:
    return _create(Review, actor=actor, values=values, fields=REVIEW_FIELDS)


@transaction.atomic
def review_update(
    *, actor: User, review: Review, expected_version: int | None = None, **values
) -> Review:
    return _update(
        review, actor=actor, values=values, fields=REVIEW_FIELDS, expected_version=expected_version
    )


# --- Submissions -----------------------------------------------------------------------------


def _check_submission(submission: Submission, co_signers, *, actor=None, values=None) -> None:
    _government(submission.addressed_body, "addressed_body")
    evidence.check_submission_datasets(actor=actor, submission=submission, values=values or {})
    if co_signers is not None and submission.lead_organisation_id in {
        getattr(o, "pk", o) for o in co_signers
    }:
        raise ValidationError({"co_signers": _("The lead organisation cannot also co-sign.")})


@transaction.atomic
def submission_create(*, actor: User, upload=None, **values) -> Submission:
    submission = Submission(**_pick(values, SUBMISSION_FIELDS), created_by=actor)
    _check_submission(submission, values.get("co_signers"), actor=actor, values=values)
    submission.full_clean()
    submission.save()
    set_many_to_many(submission, values, SUBMISSION_M2M)
    fields = sorted(_pick(values, (*SUBMISSION_FIELDS, *SUBMISSION_M2M)))
    if upload is not None:
        _attach(submission, upload)
        fields.append("file")
    audit_record(action=AuditAction.CREATE, actor=actor, obj=submission, fields=fields)
    return submission


@transaction.atomic
def submission_update(
    *,
    actor: User,
    submission: Submission,
    upload=None,
    expected_version: int | None = None,
    **values,
) -> Submission:
    def check(instance):
        _check_submission(instance, values.get("co_signers"), actor=actor, values=values)

    changed = apply_changes(
        submission,
        values,
        SUBMISSION_FIELDS,
        before_save=check,
        expected_version=expected_version,
    )
    if "co_signers" in values or "datasets" in values:
        _check_submission(submission, values.get("co_signers"), actor=actor, values=values)
    others = set_many_to_many(submission, values, SUBMISSION_M2M)
    if upload is not None:
        _attach(submission, upload)
        others.append("file")
    if others and not changed:
        claim_version(submission, expected_version)
    changed += others
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=submission, fields=changed)
    return submission


FILE_AREA = Submission.file_area


def private_path(storage_name: str):
    return private_files.path(FILE_AREA, storage_name)


def _extension(name: str) -> str:
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def count_words(text: str) -> int:
    """Words as word processors count them: runs of non-space characters."""
    return len(text.split())


DOCX_MAX_XML = 30 * 1024 * 1024
PDF_MAX_PAGES = 500


def docx_text(data: bytes) -> str:
    """The text of a .docx (paragraphs and table cells), read with python-docx,
    whose XML parser never expands entities. A document part too large to be a
    real submission is refused before parsing."""
    import docx

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if archive.getinfo("word/document.xml").file_size > DOCX_MAX_XML:
            raise ValidationError({"file": _("This .docx file is too large to count.")})
    document = docx.Document(io.BytesIO(data))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, read with pypdf (a scanned PDF has none)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) > PDF_MAX_PAGES:
        raise ValidationError({"file": _("This PDF has too many pages to count.")})
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def word_count_of(name: str, data: bytes) -> int | None:
    """Word count of a .txt, .docx or .pdf; None for other formats (.odt, .hwp)."""
    extension = _extension(name)
    if extension == ".txt":
        return count_words(data.decode("utf-8-sig", errors="replace"))
    readers = {
        ".docx": (docx_text, _("This .docx file cannot be read.")),
        ".pdf": (pdf_text, _("This PDF file cannot be read.")),
    }
    if extension not in readers:
        return None
    read, refusal = readers[extension]
    try:
        return count_words(read(data))
    except ValidationError:
        raise
    except Exception:  # an uploaded file: any parser error means "cannot be read"
        raise ValidationError({"file": refusal}) from None


def _attach(submission: Submission, upload) -> None:
    name = (getattr(upload, "name", "") or "submission").rsplit("/", 1)[-1][:200]
    if _extension(name) not in FILE_EXTENSIONS:
        raise ValidationError({"file": _("Attach a .docx, .txt, .pdf, .odt or .hwp file.")})
    data = upload.read()
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    words = word_count_of(name, data)
    old = submission.file_storage_name
    with private_files.stored(FILE_AREA, data) as storage_name:
        submission.file_name = name
        submission.file_storage_name = storage_name
        submission.file_size = len(data)
        submission.word_count = words
        submission.save(
            update_fields=[
                "file_name",
                "file_storage_name",
                "file_size",
                "word_count",
                "updated_at",
            ]
        )
    # The replaced file goes once the transaction commits.
    transaction.on_commit(lambda: private_files.delete(FILE_AREA, old))


def submission_file(submission: Submission) -> bytes:
    return private_files.read(FILE_AREA, submission.file_storage_name)


@dataclass
class WordCheck:
    words: int | None
    limit: int | None

    @property
    def over(self) -> bool:
        return self.words is not None and self.limit is not None and self.words > self.limit

    @property
    def message(self) -> str:
        if not self.over:
            return ""
        return _("%(words)s words: over the limit of %(limit)s by %(extra)s.") % {
            "words": self.words,
            "limit": self.limit,
            "extra": self.words - self.limit,
        }


def word_limit_for(submission: Submission, limits: Iterable[WordLimit] | None = None) -> int | None:
    """The limit set for this mechanism and kind, else the one for any mechanism."""
    mechanism_id = submission.review.mechanism_id if submission.review_id else None
    candidates = list(
        limits
        if limits is not None
        else WordLimit.objects.filter(kind=submission.kind).filter(
            Q(mechanism_id=mechanism_id) | Q(mechanism__isnull=True)
        )
    )
    chosen = next(
        (
            lim
            for lim in candidates
            if lim.kind == submission.kind and lim.mechanism_id == mechanism_id
        ),
        None,
    ) or next(
        (lim for lim in candidates if lim.kind == submission.kind and lim.mechanism_id is None),
        None,
    )
    if chosen is None:
        return None
    if chosen.max_words_joint and submission.is_joint:
        return chosen.max_words_joint
    return chosen.max_words


def word_check(submission: Submission) -> WordCheck:
    return WordCheck(words=submission.word_count, limit=word_limit_for(submission))


# --- Thesauri, clusters, limits --------------------------------------------------------------


@transaction.atomic
def term_create(*, actor: User | None, **values) -> Term:
    return _create(Term, actor=actor, values=values, fields=TERM_FIELDS)


@transaction.atomic
def term_update(*, actor: User, term: Term, **values) -> Term:
    return _update(term, actor=actor, values=values, fields=TERM_FIELDS)


@transaction.atomic
def cluster_create(*, actor: User, **values) -> Cluster:
    return _create(Cluster, actor=actor, values=values, fields=CLUSTER_FIELDS)


@transaction.atomic
def cluster_update(
    *, actor: User, cluster: Cluster, expected_version: int | None = None, **values
) -> Cluster:
    return _update(
        cluster,
        actor=actor,
        values=values,
        fields=CLUSTER_FIELDS,
        expected_version=expected_version,
    )


@transaction.atomic
def word_limit_create(*, actor: User, **values) -> WordLimit:
    return _create(WordLimit, actor=actor, values=values, fields=WORD_LIMIT_FIELDS)


@transaction.atomic
def word_limit_update(*, actor: User, limit: WordLimit, **values) -> WordLimit:
    return _update(limit, actor=actor, values=values, fields=WORD_LIMIT_FIELDS)


# --- Recommendations and commitments ----------------------------------------------------


def _check_source(recommendation: Recommendation) -> None:
    if recommendation.source == Source.PLAN:
        recommendation.mechanism = None
        if recommendation.plan_id and recommendation.plan.kind != PolicyKind.NATIONAL_ACTION_PLAN:
            raise ValidationError({"plan": _("Choose a national action plan.")})
    else:
        recommendation.plan = None
    if (
        recommendation.review_id
        and recommendation.mechanism_id
        and recommendation.review.mechanism_id != recommendation.mechanism_id
    ):
        raise ValidationError({"review": _("This review belongs to another mechanism.")})
    if recommendation.pk and recommendation.issued_on:
        first = recommendation.assessments.order_by("assessed_on").first()
        if first is not None and first.assessed_on < recommendation.issued_on:
            raise ValidationError(
                {
                    "issued_on": _("An assessment dated %(date)s exists; the date cannot be later.")
                    % {"date": first.assessed_on.isoformat()}
                }
            )


@transaction.atomic
def recommendation_create(*, actor: User | None, **values) -> Recommendation:
    evidence.check_datasets(actor=actor, datasets=values.get("datasets"))
    return _create(
        Recommendation,
        actor=actor,
        values=values,
        fields=RECOMMENDATION_FIELDS,
        m2m=(*RECOMMENDATION_M2M, "datasets"),
        before_save=_check_source,
    )


@transaction.atomic
def recommendation_update(
    *, actor: User, recommendation: Recommendation, expected_version: int | None = None, **values
) -> Recommendation:
    evidence.check_datasets(actor=actor, datasets=values.get("datasets"))
    if "paragraph" in values and values["paragraph"] != recommendation.paragraph:
        values["paragraph_unparsed"] = False
    return _update(
        recommendation,
        actor=actor,
        values=values,
        fields=(*RECOMMENDATION_FIELDS, "paragraph_unparsed"),
        m2m=(*RECOMMENDATION_M2M, "datasets"),
        before_save=_check_source,
        expected_version=expected_version,
    )


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    recommendation: Recommendation,
    assessed_on: date,
    status: str,
    evidence: str,
    **links,
) -> Assessment:
    """Add one dated assessment; the recommendation's current status becomes the
    latest assessment's (by date, then by entry)."""
    given = recommendation  # brought up to date below, as the row
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.issued_on and assessed_on < recommendation.issued_on:
        raise ValidationError(
            {
                "assessed_on": _(
                    "The assessment (%(assessed)s) cannot be dated before the "
                    "recommendation (%(issued)s)."
                )
                % {
                    "assessed": assessed_on.isoformat(),
                    "issued": recommendation.issued_on.isoformat(),
                }
            }
        )
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("An assessment cannot be dated in the future.")})
    assessment = Assessment(
        recommendation=recommendation,
        assessed_on=assessed_on,
        status=status,
        evidence=(evidence or "").strip(),
        assessor=actor,
    )
    assessment.full_clean()
    assessment.save()
    set_many_to_many(assessment, links, ASSESSMENT_LINKS)
    latest = recommendation.assessments.order_by("-assessed_on", "-created_at", "-pk").first()
    bump_version(recommendation, current_status=latest.status, current_status_on=latest.assessed_on)
    for name in ("version", "current_status", "current_status_on"):
        setattr(given, name, getattr(recommendation, name))
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=assessment,
        fields=["assessed_on", "status", "evidence", *sorted(k for k in links if links[k])],
    )
    return assessment


def recommendations_export_audit(*, actor: User, count: int, file_format: str) -> None:
    with transaction.atomic():
        audit_record(
            action=AuditAction.EXPORT,
            actor=actor,
            object_type="policy_monitor.recommendation",
            fields=["recommendations", "current_status"],
            reason=f"{file_format}:{count}",
        )
