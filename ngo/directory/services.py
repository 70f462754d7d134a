"""Writes to the shared directory: organisations, their tags and contact people,
and the CSV import. Each write validates, saves in a transaction and is audited
(field names only)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record
from ngo.directory.models import (
    AuthorityType,
    ContactPerson,
    Organisation,
    OrganisationKind,
    OrganisationScope,
    Tag,
    name_key,
    name_key_expression,
)
from ngo.lib.changes import apply_changes
from ngo.lib.versions import claim_version

ORGANISATION_FIELDS = (
    "name_ko",
    "name_en",
    "kind",
    "authority_type",
    "country",
    "scope",
    "website",
    "email",
    "phone",
    "notes",
    "is_active",
)
CONTACT_FIELDS = ("name", "title", "email", "phone", "notes", "is_active")
MAX_TAGS = 30


class PossibleDuplicateOrganisation(ValidationError):
    """The name is already in the directory; `matches` are the existing entries.
    Send again with confirm_duplicate=True to create it anyway."""

    def __init__(self, matches):
        self.matches = list(matches)
        names = ", ".join(o.name for o in self.matches[:3])
        super().__init__(
            _(
                "An organisation with this name is already in the directory: %(names)s. "
                "Use the existing one, or confirm that this is a different organisation."
            )
            % {"names": names},
            code="possible_duplicate",
        )


def organisation_duplicates(*, name_ko: str = "", name_en: str = "", exclude_pk=None):
    """Organisations whose Korean or English name is the same, ignoring case and spaces."""
    condition = Q()
    keys = {}
    for column, value in (("name_ko", name_ko), ("name_en", name_en)):
        key = name_key(value)
        if key:
            keys[f"{column}_key"] = name_key_expression(column)
            condition |= Q(**{f"{column}_key": key})
    if not keys:
        return Organisation.objects.none()
    found = Organisation.objects.alias(**keys).filter(condition)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("pk")


def _clean_tags(names) -> list[str]:
    cleaned = []
    for name in names or []:
        name = " ".join(str(name).split())[:50]
        if name and name.casefold() not in {c.casefold() for c in cleaned}:
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise ValidationError({"tags": _("At most %(n)d tags.") % {"n": MAX_TAGS}})
    return cleaned


def _set_tags(organisation: Organisation, names: list[str]) -> None:
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    organisation.tags.set(tags)


@transaction.atomic
def organisation_create(
    *, actor, tags=None, confirm_duplicate: bool = False, source: str = "", **values
) -> Organisation:
    """Add an organisation. A name already in the directory raises
    PossibleDuplicateOrganisation unless confirm_duplicate is set. `source`
    (e.g. "csv_import") is recorded as the audit event's reason."""
    organisation = Organisation(**{k: v for k, v in values.items() if k in ORGANISATION_FIELDS})
    tag_names = _clean_tags(tags)
    organisation.full_clean()
    if not confirm_duplicate:
        matches = list(
            organisation_duplicates(name_ko=organisation.name_ko, name_en=organisation.name_en)[:5]
        )
        if matches:
            raise PossibleDuplicateOrganisation(matches)
    organisation.save()
    if tag_names:
        _set_tags(organisation, tag_names)
    fields = [k for k in values if k in ORGANISATION_FIELDS] + (["tags"] if tag_names else [])
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=organisation,
        fields=fields,
        reason=",".join(
            r for r in (source, "duplicate_confirmed" if confirm_duplicate else "") if r
        ),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor,
    organisation: Organisation,
    tags=None,
    confirm_duplicate: bool = True,
    expected_version: int | None = None,
    **values,
) -> Organisation:
    """Change an organisation. A rename onto another entry's name is refused
    unless confirm_duplicate (the web form and the API ask first)."""
    renamed = any(
        k in values and values[k] != getattr(organisation, k) for k in ("name_ko", "name_en")
    )
    if renamed and not confirm_duplicate:
        matches = list(
            organisation_duplicates(
                name_ko=values.get("name_ko", organisation.name_ko),
                name_en=values.get("name_en", organisation.name_en),
                exclude_pk=organisation.pk,
            )[:5]
        )
        if matches:
            raise PossibleDuplicateOrganisation(matches)
    changed = apply_changes(
        organisation, values, ORGANISATION_FIELDS, expected_version=expected_version
    )
    if tags is not None:
        names = _clean_tags(tags)
        if sorted(names) != sorted(organisation.tag_names):
            if not changed:
                claim_version(organisation, expected_version)
            _set_tags(organisation, names)
            changed.append("tags")
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=organisation, fields=changed)
    return organisation


# --- Contact people ---------------------------------------------------------------------------


@transaction.atomic
def contact_add(*, actor, organisation: Organisation, **values) -> ContactPerson:
    contact = ContactPerson(
        organisation=organisation,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{k: v for k, v in values.items() if k in CONTACT_FIELDS},
    )
    contact.full_clean()
    contact.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=contact,
        fields=[k for k in values if k in CONTACT_FIELDS],
    )
    return contact


@transaction.atomic
def contact_update(
    *, actor, contact: ContactPerson, expected_version: int | None = None, **values
) -> ContactPerson:
    changed = apply_changes(contact, values, CONTACT_FIELDS, expected_version=expected_version)
    if changed:
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=contact, fields=changed)
    return contact


@transaction.atomic
def contact_remove(*, actor, contact: ContactPerson) -> None:
    audit_record(action=AuditAction.DELETE, actor=actor, obj=contact)
    contact.delete()


# --- CSV import -------------------------------------------------------------------------------

# Column names accepted in the header row, English or Korean (case and spaces ignored).
IMPORT_COLUMNS = {
    "name_ko": ("name_ko", "name (korean)", "korean name", "이름(한국어)", "한국어 이름", "기관명"),
    "name_en": ("name_en", "name (english)", "english name", "영문 이름", "영문명", "이름(영어)"),
    "kind": ("kind", "type", "유형", "종류", "기관 유형"),
    "authority_type": ("authority_type", "authority", "당국 유형", "기관 구분"),
    "country": ("country", "국가"),
    "scope": ("scope", "범위", "활동 범위"),
    "website": ("website", "웹사이트", "홈페이지"),
    "email": ("email", "e-mail", "이메일"),
    "phone": ("phone", "전화", "전화번호"),
    "tags": ("tags", "태그"),
    "notes": ("notes", "메모", "비고"),
}
IMPORT_MAX_BYTES = 2 * 1024 * 1024
IMPORT_MAX_ROWS = 2000


class ImportRowStatus:
    CREATED = "created"
    REFUSED = "refused"
    DUPLICATE = "duplicate"


@dataclass
class ImportRow:
    line: int
    name: str
    status: str
    messages: list[str] = field(default_factory=list)
    organisation_id: int | None = None


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    error: str = ""

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.status == ImportRowStatus.CREATED)

    @property
    def refused(self) -> int:
        return sum(1 for row in self.rows if row.status != ImportRowStatus.CREATED)


def _header_map(header: list[str]) -> tuple[dict[int, str], list[str]]:
    lookup = {
        name_key(alias): column for column, aliases in IMPORT_COLUMNS.items() for alias in aliases
    }
    mapped, unknown = {}, []
    for index, title in enumerate(header):
        column = lookup.get(name_key(title))
        if column is None:
            if title.strip():
                unknown.append(title.strip())
        elif column not in mapped.values():
            mapped[index] = column
    return mapped, unknown


def _choice(choices, raw: str, label: str) -> str:
    """A code or its label (in English or Korean) -> the code."""
    value = raw.strip()
    if not value:
        return ""
    key = name_key(value)
    for code, text in choices.choices:
        if key in (name_key(code), name_key(str(text))):
            return code
    from django.utils import translation

    for language in ("ko", "en"):
        with translation.override(language):
            for code, text in choices.choices:
                if key == name_key(str(text)):
                    return code
    raise ValidationError(_("%(value)s is not a known %(what)s.") % {"value": value, "what": label})


def _row_values(raw: dict[str, str]) -> dict:
    values = {k: (v or "").strip() for k, v in raw.items() if k != "tags"}
    errors = {}
    for column, choices, label in (
        ("kind", OrganisationKind, gettext_lazy("kind")),
        ("scope", OrganisationScope, gettext_lazy("scope")),
        ("authority_type", AuthorityType, gettext_lazy("type of authority")),
    ):
        try:
            values[column] = _choice(choices, values.get(column, ""), str(label))
        except ValidationError as exc:
            errors[column] = exc.messages
    if not values.get("scope"):
        values.pop("scope", None)
    values["country"] = (values.get("country") or "KR").upper()
    if errors:
        raise ValidationError(errors)
    tags = [t for t in (raw.get("tags") or "").replace(",", ";").split(";") if t.strip()]
    return {**values, "tags": tags}


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, errors in exc.message_dict.items():
            try:
                label = str(Organisation._meta.get_field(name).verbose_name)
            except Exception:  # __all__ or a name that is not a field
                label = ""
            for message in errors:
                out.append(f"{label}: {message}" if label else message)
        return out
    return list(exc.messages)


def organisation_import(*, actor, content: bytes, confirm_duplicates: bool = False) -> ImportReport:
    """Create organisations from a CSV file (UTF-8, with or without a byte-order
    mark; English or Korean column names). Each row is saved on its own: a row
    that is refused saves nothing and is reported with the reasons. A name
    already in the directory (or earlier in the file) is refused as a duplicate
    unless confirm_duplicates."""
    report = ImportReport()
    if len(content) > IMPORT_MAX_BYTES:
        report.error = _("The file is larger than %(mb)d MB.") % {
            "mb": IMPORT_MAX_BYTES // (1024 * 1024)
        }
        return report
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.error = _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")
        return report
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        report.error = _("The file is empty.")
        return report
    columns, _unknown = _header_map(header)
    if "name_ko" not in columns.values() and "name_en" not in columns.values():
        report.error = _(
            "The first row must name the columns; a name_ko (이름(한국어)) or name_en "
            "(영문 이름) column is required."
        )
        return report
    if "kind" not in columns.values():
        report.error = _("The first row must have a kind (유형) column.")
        return report
    seen: dict[str, int] = {}
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(report.rows) >= IMPORT_MAX_ROWS:
                report.error = _("Only the first %(n)d rows were read.") % {"n": IMPORT_MAX_ROWS}
                break
            raw = {
                column: cells[index] if index < len(cells) else ""
                for index, column in columns.items()
            }
            name = (raw.get("name_ko") or "").strip() or (raw.get("name_en") or "").strip()
            row = ImportRow(line=line, name=name[:200], status=ImportRowStatus.REFUSED)
            report.rows.append(row)
            try:
                values = _row_values(raw)
                keys = {
                    name_key(values.get("name_ko", "")),
                    name_key(values.get("name_en", "")),
                } - {""}
                earlier = sorted(seen[k] for k in keys if k in seen)
                if earlier and not confirm_duplicates:
                    row.status = ImportRowStatus.DUPLICATE
                    row.messages.append(
                        _("The same name is on line %(line)d of this file.") % {"line": earlier[0]}
                    )
                    continue
                with transaction.atomic():
                    organisation = organisation_create(
                        actor=actor,
                        confirm_duplicate=confirm_duplicates,
                        source="csv_import",
                        **values,
                    )
                row.status = ImportRowStatus.CREATED
                row.organisation_id = organisation.pk
                for key in keys:
                    seen.setdefault(key, line)
            except PossibleDuplicateOrganisation as exc:
                row.status = ImportRowStatus.DUPLICATE
                row.messages.append(
                    _("Already in the directory: %(names)s.")
                    % {"names": ", ".join(o.name for o in exc.matches[:3])}
                )
            except ValidationError as exc:
                row.messages.extend(_messages(exc))
    except csv.Error as exc:
        report.error = _("The file could not be read as CSV (%(reason)s).") % {"reason": exc}
    return report
