"""Importing UHRI exports: the import job (stored file, progress, report) and
the row-by-row import of its recommendations. The import is idempotent: a row
is matched on its OHCHR annotation id, or else on document symbol + paragraph.
Parsing the file is policy_monitor/uhri.py's; this module writes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ngo.accounts.models import User
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import private_files
from ngo.lib.celery_helpers import enqueue_on_commit
from policy_monitor import services, uhri
from policy_monitor.catalogue import PREFIX_ALIASES
from policy_monitor.models import (
    ImportJob,
    ImportStatus,
    Mechanism,
    Position,
    Recommendation,
    Review,
    SdgTarget,
    Source,
    Term,
    Vocabulary,
)

IMPORT_FIELDS = (
    *services.RECOMMENDATION_FIELDS,
    "paragraph_unparsed",
    "countries_concerned",
    "uhri_annotation_id",
)
PROGRESS_EVERY = 100
# --- The rows --------------------------------------------------------------------------------


class _Catalogue:
    """What rows are matched against, loaded once per import."""

    def __init__(self, actor):
        self.actor = actor
        self.mechanisms = {}
        self.prefixes = []
        for mechanism in Mechanism.objects.all():
            for alias in [mechanism.code, mechanism.name_en, *mechanism.aliases]:
                self.mechanisms[uhri.normal(alias)] = mechanism
            for prefix in PREFIX_ALIASES.get(mechanism.code, ()):
                self.prefixes.append((prefix, mechanism))
        self.terms = {(t.vocabulary, uhri.normal(t.label_en)): t for t in Term.objects.all()}
        self.sdgs = {s.code: s for s in SdgTarget.objects.all()}
        self.reviews = {
            uhri.normal(r.document_symbol): r for r in Review.objects.exclude(document_symbol="")
        }
        self.new_terms: list[str] = []

    def mechanism(self, body: str) -> Mechanism | None:
        key = uhri.normal(body)
        if key in self.mechanisms:
            return self.mechanisms[key]
        return next((m for p, m in self.prefixes if key.startswith(p)), None)

    def term(self, vocabulary: str, label: str) -> Term:
        key = (vocabulary, uhri.normal(label))
        if key not in self.terms:
            with transaction.atomic():
                self.terms[key] = services.term_create(
                    actor=self.actor, vocabulary=vocabulary, label_en=label[:200]
                )
            self.new_terms.append(f"{Vocabulary(vocabulary).label}: {label}")
        return self.terms[key]

    def sdg(self, value: str) -> SdgTarget | None:
        match = uhri.SDG.match(value)
        if not match:
            return None
        goal, target = match.group(1), match.group(2)
        if not 1 <= int(goal) <= 17:
            return None
        code = f"{int(goal)}.{target.lower()}" if target else str(int(goal))
        if code not in self.sdgs:
            label = value[match.end() :].strip(" -:–") or ""
            self.sdgs[code], _created = SdgTarget.objects.get_or_create(
                code=code, defaults={"goal": int(goal), "label": label[:300]}
            )
        return self.sdgs[code]


class Refused(Exception):
    def __init__(self, *reasons):
        self.reasons = [str(r) for r in reasons]


def _values(row: dict, catalogue: _Catalogue, warnings: list[str]) -> dict:
    text = str(row.get("text") or "").strip()
    symbol = str(row.get("symbol") or "").strip()
    body = " ".join(uhri.multi(row.get("body"))) if row.get("body") else ""
    reasons = []
    if not text:
        reasons.append(_("The text is empty."))
    if not symbol:
        reasons.append(_("The document symbol is empty."))
    mechanism = None
    if not body:
        reasons.append(_("The recommending body is empty."))
    else:
        mechanism = catalogue.mechanism(body)
        if mechanism is None:
            reasons.append(_("Unknown recommending body: %(body)s.") % {"body": body})
    try:
        issued_on = uhri.parse_date(row.get("date"))
    except ValueError:
        issued_on = None
        reasons.append(
            _("The publication date %(value)s cannot be read.") % {"value": row.get("date")}
        )
    position = uhri.parse_position(row.get("position"))
    if position is None:
        warnings.append(
            _("Unknown UPR position %(value)s; recorded as no position.")
            % {"value": row.get("position")}
        )
        position = Position.NONE
    if reasons:
        raise Refused(*reasons)
    _text, paragraph = uhri.split_paragraph(text)
    if paragraph is None:
        warnings.append(_("No paragraph number at the start of the text; kept and flagged."))
    sdgs = []
    for value in uhri.multi(row.get("sdgs")):
        target = catalogue.sdg(value)
        if target is None:
            warnings.append(_("SDG %(value)s not recognised; left out.") % {"value": value})
        else:
            sdgs.append(target)
    annotation = str(row.get("annotation_id") or "").strip()
    if annotation.endswith(".0") and annotation[:-2].isdigit():
        annotation = annotation[:-2]  # a numeric id read from Excel as a float
    return {
        "source": Source.MECHANISM,
        "mechanism": mechanism,
        "plan": None,
        "review": catalogue.reviews.get(uhri.normal(symbol)),
        "text": text,
        "document_symbol": symbol[:80],
        "paragraph": paragraph or "",
        "paragraph_unparsed": paragraph is None,
        "issued_on": issued_on,
        "recommending_states": uhri.multi(row.get("states")),
        "position": position,
        "document_type": str(row.get("type") or "").strip()[:80],
        "upr_session": str(row.get("upr_session") or "").strip().removesuffix(".0")[:40],
        "countries_concerned": uhri.multi(row.get("countries")),
        "uhri_annotation_id": annotation[:64] or None,
        "themes": [catalogue.term(Vocabulary.THEME, t) for t in uhri.multi(row.get("themes"))],
        "affected_persons": [
            catalogue.term(Vocabulary.AFFECTED_PERSONS, t) for t in uhri.multi(row.get("persons"))
        ],
        "sdg_targets": sdgs,
    }


def _existing(values: dict) -> Recommendation | None:
    annotation = values["uhri_annotation_id"]
    if annotation:
        found = Recommendation.objects.filter(uhri_annotation_id=annotation).first()
        if found is not None:
            return found
    candidates = Recommendation.objects.filter(
        source=Source.MECHANISM, document_symbol=values["document_symbol"]
    )
    if annotation:
        candidates = candidates.filter(uhri_annotation_id__isnull=True)
    if values["paragraph"]:
        candidates = candidates.filter(paragraph=values["paragraph"])
        matches = list(candidates[:2])
        if len(matches) == 1:
            return matches[0]
    return candidates.filter(text=values["text"]).first()


def _import_row(values: dict, actor) -> tuple[str, list[str], Recommendation]:
    existing = _existing(values)
    if existing is None:
        created = services._create(
            Recommendation,
            actor=actor,
            values=values,
            fields=IMPORT_FIELDS,
            m2m=services.RECOMMENDATION_M2M,
            created_by=actor,
        )
        return "created", [], created
    if existing.uhri_annotation_id and not values["uhri_annotation_id"]:
        values["uhri_annotation_id"] = existing.uhri_annotation_id
    services._update(
        existing,
        actor=actor,
        values=values,
        fields=IMPORT_FIELDS,
        m2m=services.RECOMMENDATION_M2M,
    )
    changed = existing.changed_fields
    return ("updated" if changed else "unchanged"), changed, existing


def recommendation_import(
    *, table: uhri.Table, actor, progress: Callable[[int, dict], None] | None = None
) -> dict:
    """Import every row; each row in its own transaction, so a refused row never
    undoes the others. Returns the row-by-row report."""
    catalogue = _Catalogue(actor)
    counts = Counter({"created": 0, "updated": 0, "unchanged": 0, "refused": 0})
    unknown_bodies: Counter = Counter()
    lines = []
    for done, (number, row) in enumerate(table.rows, start=1):
        warnings: list[str] = []
        line = {
            "row": number,
            "symbol": str(row.get("symbol") or "").strip(),
            "paragraph": "",
        }
        try:
            values = _values(row, catalogue, warnings)
            line["paragraph"] = values["paragraph"]
            with transaction.atomic():
                outcome, changed, recommendation = _import_row(values, actor)
            line.update(outcome=outcome, id=recommendation.pk)
            if changed:
                line["changed"] = changed
        except Refused as refusal:
            line.update(outcome="refused", reasons=refusal.reasons)
            body = " ".join(uhri.multi(row.get("body")))
            if body and catalogue.mechanism(body) is None:
                unknown_bodies[body] += 1
        except ValidationError as error:
            line.update(outcome="refused", reasons=error.messages)
        counts[line["outcome"]] += 1
        if warnings:
            line["warnings"] = warnings
        lines.append(line)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, counts)
    return {
        "counts": dict(counts),
        "rows": lines,
        "unknown_bodies": dict(unknown_bodies),
        "new_terms": catalogue.new_terms,
        "ignored_columns": table.ignored_columns,
    }


# --- UHRI imports ------------------------------------------------------------------------------

# Files up to this many rows are imported during the request; larger ones by the worker.
INLINE_IMPORT_ROWS = 300
MAX_IMPORT_BYTES = 50 * 1024 * 1024


@transaction.atomic
def import_job_create(*, actor: User, upload, run_inline: bool | None = None) -> ImportJob:
    """Store the file, check that it is a UHRI export (a ValidationError names
    the missing columns), then import it now (small files) or queue it."""
    name = (getattr(upload, "name", "") or "uhri.xlsx").rsplit("/", 1)[-1][:200]
    data = upload.read()
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError({"file": _("The file is larger than 50 MB.")})
    table = uhri.read_table(name, data)  # raises ValidationError
    with private_files.stored(ImportJob.file_area, data) as storage_name:
        job = ImportJob.objects.create(
            file_name=name,
            file_storage_name=storage_name,
            total_rows=len(table.rows),
            created_by=actor,
        )
    audit_record(action=AuditAction.CREATE, actor=actor, obj=job, fields=["file"])
    if run_inline is None:
        run_inline = len(table.rows) <= INLINE_IMPORT_ROWS
    if run_inline:
        import_job_run(job_id=job.pk)
        job.refresh_from_db()
    else:
        enqueue_on_commit("policy_monitor.run_import_job", args=(job.pk,))
    return job


STALE_RUNNING = timezone.timedelta(minutes=30)


def _claim(job_id: int) -> bool:
    """Compare-and-swap: only one worker runs a job; a job left running by a
    worker that died is taken over after STALE_RUNNING."""
    now = timezone.now()
    return bool(
        ImportJob.objects.filter(pk=job_id)
        .filter(
            Q(status=ImportStatus.QUEUED)
            | Q(status=ImportStatus.RUNNING, started_at__lt=now - STALE_RUNNING)
        )
        .update(status=ImportStatus.RUNNING, started_at=now, processed_rows=0)
    )


def import_job_run(*, job_id: int) -> bool:
    """Run one import job (idempotent: a second call does nothing, and running
    the same file again changes no record). Returns whether it ran."""
    if not _claim(job_id):
        return False
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        data = job.read_file()
        table = uhri.read_table(job.file_name, data)

        def progress(done: int, counts: dict) -> None:
            ImportJob.objects.filter(pk=job_id).update(
                processed_rows=done,
                created_count=counts["created"],
                updated_count=counts["updated"],
                unchanged_count=counts["unchanged"],
                refused_count=counts["refused"],
            )

        report = recommendation_import(table=table, actor=job.created_by, progress=progress)
    except ValidationError as error:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, error=" ".join(error.messages), finished_at=timezone.now()
        )
        return True
    except Exception:
        # Say so on the page rather than show "running" for ever; the worker logs the cause.
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            error=_(
                "The import stopped on an unexpected error. Try again or tell an administrator."
            ),
            finished_at=timezone.now(),
        )
        raise
    counts = report["counts"]
    with transaction.atomic():
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.DONE,
            processed_rows=F("total_rows"),
            created_count=counts["created"],
            updated_count=counts["updated"],
            unchanged_count=counts["unchanged"],
            refused_count=counts["refused"],
            report=report,
            finished_at=timezone.now(),
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=job.created_by,
            object_type="policy_monitor.importjob",
            object_id=job_id,
            fields=["report", "status"],
            reason="import_done",
        )
    return True
