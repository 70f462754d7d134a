"""Preparing, approving, revoking, reprinting and verifying letters, and what
the destruction and subject-access routines of her records call.

Every write is atomic and audited in its own transaction; a letter number is
allocated at approval, inside that transaction, from a locked counter row."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from counselling.letters import throttle
from counselling.letters.document import letter_pdf
from counselling.letters.models import Letter, LetterNumberCounter, LetterStatus
from counselling.letters.texts import CLIENT_LANGUAGES, second_page_language
from counselling.models import Case, CaseType, Client, Service
from counselling.shelters.models import Stay
from ngo import access
from ngo.access import four_eyes
from ngo.accounts.models import User
from ngo.accounts.roles import Capability
from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.lib import private_files
from ngo.lib.versions import claim_version

NUMBER_MAX_LENGTH = 24
LETTER_SERVICES = (Service.COUNSELLING, Service.LEGAL_ADVICE)


# --- Who signs ---------------------------------------------------------------------------


def may_sign(user, branch=None) -> bool:
    """Branch managers approve, sign and revoke the letters of their branches
    (without `branch`: of some branch)."""
    if branch is None:
        return user.can(Capability.MANAGE_BRANCH)
    return four_eyes.manages_branch(user, branch)


# --- Preparing -----------------------------------------------------------------------------


def dv_work_problem(case: Case) -> str:
    """Why this case cannot have a letter ("" if it can)."""
    if CaseType.DOMESTIC_VIOLENCE not in case.case_types:
        return _("A letter needs a case of domestic violence; this case is not one.")
    if not case.sessions.exists():
        return _("A letter needs at least one session on the case; none is recorded.")
    if case.client.birth_date is None:
        return _("Record her date of birth first: the letter and its verification need it.")
    return ""


@transaction.atomic
def letter_prepare(*, actor: User, case: Case, language: str | None = None) -> Letter:
    """A letter awaiting the branch manager's approval. `language`: that of
    the second page ("" for none; None: chosen from her languages)."""
    problem = dv_work_problem(case)
    if problem:
        raise ValidationError({"case": problem})
    if language is None:
        language = second_page_language(case.client.languages)
    if language and language not in CLIENT_LANGUAGES:
        raise ValidationError({"language": _("The letter is not written in that language.")})
    if Letter.objects.filter(case=case, status=LetterStatus.PREPARED).exists():
        raise ValidationError({"case": _("This case already has a letter awaiting approval.")})
    letter = Letter(
        case=case, client=case.client, branch=case.branch, language=language, prepared_by=actor
    )
    letter.full_clean(validate_constraints=False)
    letter.save()
    audit_record(action=AuditAction.CREATE, actor=actor, obj=letter, fields=["case", "language"])
    return letter


# --- Approving ---------------------------------------------------------------------------


def _next_number(branch, year: int) -> tuple[int, str]:
    """The next sequence of the branch's year, from its counter row, locked until
    the approval commits (select_for_update), so two approvals never share one."""
    LetterNumberCounter.objects.get_or_create(branch=branch, year=year)
    counter = LetterNumberCounter.objects.select_for_update().get(branch=branch, year=year)
    LetterNumberCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    sequence = counter.last_number + 1
    return sequence, f"{branch.code}-L-{year}-{sequence:04d}"


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat()


def letter_facts(letter: Letter, *, number: str, signatory: User, issued_on: date) -> dict:
    """What the letter prints, read from her records now."""
    case, client, branch = letter.case, letter.client, letter.branch
    sessions = list(case.sessions.order_by("started_at").values_list("started_at", "services"))
    given = {name for _started, services in sessions for name in services}
    stays = Stay.objects.filter(case=case).order_by("admitted_on", "pk")
    with _language("ko"):
        nationality_ko = str(countries.name(client.nationality)) if client.nationality else ""
    with _language("en"):
        nationality_en = str(countries.name(client.nationality)) if client.nationality else ""
    return {
        "number": number,
        "language": letter.language,
        "name_original": client.name_original,
        "name_romanised": client.name_romanised,
        "birth_date": client.birth_date.isoformat(),
        "nationality": str(client.nationality or ""),
        "nationality_ko": nationality_ko,
        "nationality_en": nationality_en,
        "first_contact": _day(sessions[0][0]),
        "last_contact": _day(sessions[-1][0]),
        "sessions": len(sessions),
        "services": [name for name in LETTER_SERVICES if name in given] or [Service.COUNSELLING],
        "stays": [
            {
                "from": stay.admitted_on.isoformat(),
                "to": stay.discharged_on.isoformat() if stay.discharged_on else "",
            }
            for stay in stays
        ],
        "branch_ko": branch.name_ko,
        "branch_en": branch.name_en,
        "address_ko": branch.address_ko,
        "address_en": branch.address_en,
        "phone": branch.phone,
        "signatory": signatory.full_name,
        "issued_on": issued_on.isoformat(),
        "verify_url": verify_url(number),
    }


def _language(code):
    return translation.override(code)


def verify_url(number: str) -> str:
    return f"{settings.PUBLIC_URL}{reverse('letters:verify')}?{urlencode({'number': number})}"


def verification_digest(number: str, birth_date: date, *, key: str | None = None) -> str:
    """HMAC-SHA256 of number and birth date, keyed by a key derived from the
    first of LETTER_VERIFICATION_KEYS (or `key`)."""
    secret = key if key is not None else settings.LETTER_VERIFICATION_KEYS[0]
    derived = hashlib.sha256(f"letter-verification:{secret}".encode()).digest()
    message = f"{number.upper()}|{birth_date.isoformat()}".encode()
    return hmac.new(derived, message, hashlib.sha256).hexdigest()


def _check_signatory(actor: User, letter: Letter) -> None:
    require_signatory(actor, letter)
    four_eyes.require_second_person(
        actor=actor,
        requested_by_id=letter.prepared_by_id,
        message=_("You prepared this letter: another person, the branch manager, must approve it."),
    )


@transaction.atomic
def letter_approve(*, actor: User, letter: Letter, expected_version: int | None = None) -> Letter:
    """Approve and sign: number, snapshot, PDF, all in one transaction."""
    _check_signatory(actor, letter)
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status != LetterStatus.PREPARED:
        raise ValidationError(_("This letter has already been approved."))
    if letter.case is None or not letter.records_held:
        raise ValidationError(_("Her records are no longer held; the letter cannot be issued."))
    problem = dv_work_problem(letter.case)
    if problem:
        raise ValidationError(problem)
    claim_version(letter, expected_version)
    now = timezone.now()
    issued_on = timezone.localdate(now)
    sequence, number = _next_number(letter.branch, issued_on.year)
    contents = letter_facts(letter, number=number, signatory=actor, issued_on=issued_on)
    with private_files.stored(Letter.file_area, letter_pdf(contents)) as storage_name:
        letter.status = LetterStatus.ISSUED
        letter.number, letter.year, letter.sequence = number, issued_on.year, sequence
        letter.approved_by, letter.approved_at, letter.issued_on = actor, now, issued_on
        letter.contents_json = json.dumps(contents, ensure_ascii=False)
        letter.storage_name = storage_name
        letter.verification_digest = verification_digest(number, letter.client.birth_date)
        try:
            with transaction.atomic():
                letter.save()
        except IntegrityError:
            raise ValidationError(_("The letter could not be numbered; try again.")) from None
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=letter, reason="approved")
    return letter


# --- Revoking and reprinting ---------------------------------------------------------------


def require_signatory(actor: User, letter: Letter) -> None:
    """PermissionDenied (audited) unless she signs the letters of its branch:
    asked before any input is read, for the screens and the API alike."""
    if not may_sign(actor, letter.branch):
        access.refuse(actor, letter, reason="letter_sign")


@transaction.atomic
def letter_revoke(
    *, actor: User, letter: Letter, reason: str, expected_version: int | None = None
) -> Letter:
    require_signatory(actor, letter)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the letter is revoked.")})
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.status == LetterStatus.REVOKED:
        raise ValidationError(_("This letter has already been revoked."))
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError(_("Only an issued letter can be revoked."))
    claim_version(letter, expected_version)
    letter.status = LetterStatus.REVOKED
    letter.revoked_by, letter.revoked_at = actor, timezone.now()
    letter.revocation_reason = reason
    letter.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=letter, reason="revoked")
    return letter


@transaction.atomic
def letter_reprint(*, actor: User, letter: Letter) -> bytes:
    """The stored PDF of an issued letter, decrypted; the download is audited."""
    if letter.status == LetterStatus.PREPARED:
        raise ValidationError(_("This letter has not been approved yet: there is no PDF."))
    if letter.status == LetterStatus.REVOKED:
        raise ValidationError(_("This letter was revoked: it is not printed again."))
    if not letter.has_file():
        raise ValidationError(_("The centre no longer holds this letter's file."))
    audit_record(action=AuditAction.EXPORT, actor=actor, obj=letter, reason="reprint")
    return letter.read_file()


# --- Verification --------------------------------------------------------------------------


def normalise_number(text: str) -> str:
    return "".join((text or "").split()).upper()[:NUMBER_MAX_LENGTH]


def letter_verify(*, number: str, birth_date: date, ip: str | None) -> Letter | None:
    """The issued (or revoked) letter with this number whose digest matches,
    else None: an unknown number and a wrong birth date are the same answer.
    Counted against the limits first (throttle.Limited), audited always,
    without the birth date."""
    number = normalise_number(number)
    try:
        throttle.count_attempt(ip=ip, number=number)
    except throttle.Limited:
        audit_record(action=AuditAction.READ, object_type="letters.letter", reason="verify_limited")
        raise
    candidate = (
        Letter.objects.select_related("branch")
        .exclude(status=LetterStatus.PREPARED)
        .filter(number=number)
        .first()
    )
    match = candidate is not None and any(
        hmac.compare_digest(
            candidate.verification_digest, verification_digest(number, birth_date, key=key)
        )
        for key in settings.LETTER_VERIFICATION_KEYS
    )
    audit_record(
        action=AuditAction.READ,
        object_type="letters.letter",
        object_id=candidate.pk if candidate is not None else "",
        branch=candidate.branch_id if candidate is not None else None,
        reason="verify_match" if match else "verify_no_match",
    )
    return candidate if match else None


# --- Her records: destruction and subject access ------------------------------------------


@transaction.atomic
def scrub_letters_for_client(client: Client, *, actor: User | None = None) -> int:
    """Blank every personal field of her letters and delete their PDFs, keeping
    what verification needs (number, branch, dates, status, digest). Returns how
    many letters. Letters awaiting approval have nothing to verify and go."""
    count = 0
    for letter in Letter.objects.select_for_update().filter(client=client):
        private_files.delete(Letter.file_area, letter.storage_name)
        if letter.status == LetterStatus.PREPARED:
            audit_record(
                action=AuditAction.DELETE, actor=actor, obj=letter, reason="records_destroyed"
            )
            letter.delete()
            count += 1
            continue
        letter.case = None
        letter.client = None
        letter.language = ""
        letter.contents_json = None
        letter.revocation_reason = None
        letter.storage_name = ""
        letter.records_held = False
        letter.records_destroyed_at = timezone.now()
        letter.version += 1
        letter.save()
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=letter, reason="records_destroyed")
        count += 1
    return count


def letters_for_subject_access(client: Client) -> list[dict]:
    """For each issued or revoked letter of hers: what it printed, its status
    and dates, and its PDF bytes (None once the file is gone)."""
    result = []
    for letter in Letter.objects.filter(client=client).exclude(status=LetterStatus.PREPARED):
        result.append(
            {
                "number": letter.number,
                "status": letter.status,
                "issued_on": letter.issued_on.isoformat() if letter.issued_on else "",
                "revoked_at": letter.revoked_at.isoformat() if letter.revoked_at else "",
                "contents": letter.contents,
                "pdf": letter.read_file() if letter.has_file() else None,
            }
        )
    return result
