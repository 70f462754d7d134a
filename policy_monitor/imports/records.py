"""Writing the rows of a UHRI file as recommendations, a chunk of rows at a
time: the chunk's existing records are fetched in one query (by annotation id)
and one more (by document symbol, for rows matched on symbol + paragraph), new
records are inserted in bulk, changed ones updated in bulk, their links to
themes, affected persons and SDG targets written in bulk into the through
tables, and each created or updated record gets its audit event, in bulk too.

Idempotent: a row is matched on its OHCHR annotation id, otherwise on document
symbol + paragraph (+ text when the paragraph is not enough), and each record is
matched by one row of the file at most, so importing the same file again finds
every record as it left it and changes nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ngo.audit.models import AuditAction
from ngo.audit.services import audit_record_many
from policy_monitor import uhri
from policy_monitor.imports.rows import (
    IMPORT_FIELDS,
    LINKS,
    Catalogue,
    Row,
    annotation_of,
    read_rows,
)
from policy_monitor.models import Recommendation, Source

# Rows written in one transaction; the job's progress moves on after each.
CHUNK_ROWS = 1000
# Records one UPDATE sets at once. PostgreSQL takes them from a VALUES list
# (a chunk at a time); elsewhere Django's bulk_update writes one CASE a field,
# whose cost grows with the square of its rows.
UPDATE_BATCH = 100
UPDATE_BATCH_POSTGRESQL = CHUNK_ROWS
_FIELDS = {name: Recommendation._meta.get_field(name) for name in IMPORT_FIELDS}
# What the create event of an imported record names: every field a row gives.
CREATED_FIELDS = sorted({*(name for name in IMPORT_FIELDS if name != "cluster"), *LINKS})
# Each record's fields are validated (clean_fields) before it is saved, but for
# the foreign keys, which come from the catalogue and which the database checks,
# and the fields the import does not set. full_clean would also query the
# database for each foreign key and each constraint of each row: the matching
# and the database's constraints hold those rules.
NOT_CLEANED = [
    f.name for f in Recommendation._meta.fields if f.is_relation or f.name not in IMPORT_FIELDS
]


def _through(name: str):
    """The through model of a link and its two columns (record, linked record)."""
    field = Recommendation._meta.get_field(name)
    through = field.remote_field.through
    return (
        through,
        through._meta.get_field(field.m2m_field_name()).attname,
        through._meta.get_field(field.m2m_reverse_field_name()).attname,
    )


_THROUGH = {name: _through(name) for name in LINKS}


class _Existing:
    """The records a chunk's rows may be, fetched at once."""

    def __init__(self, rows: list[Row], *, in_file: set[str]):
        self.in_file = in_file
        annotations = [row.annotation for row in rows if row.annotation]
        self.by_annotation = {
            r.uhri_annotation_id: r
            for r in Recommendation.objects.filter(uhri_annotation_id__in=annotations)
        }
        # Rows with an id that is not there yet may only take over a record without
        # one; rows without an id may match any record whose id the file lacks.
        plain = {r.values["document_symbol"] for r in rows if not r.annotation}
        annotated = {
            r.values["document_symbol"]
            for r in rows
            if r.annotation and r.annotation not in self.by_annotation
        }
        self.by_symbol = defaultdict(list)
        condition = Q()
        if plain:
            condition |= Q(document_symbol__in=plain)
        if annotated - plain:
            condition |= Q(document_symbol__in=annotated - plain, uhri_annotation_id__isnull=True)
        if condition:
            for record in Recommendation.objects.filter(condition, source=Source.MECHANISM):
                self.by_symbol[record.document_symbol].append(record)

    def match(self, row: Row, *, claimed: set[int]) -> Recommendation | None:
        values = row.values
        if row.annotation in self.by_annotation:
            return self.by_annotation[row.annotation]
        candidates = [
            r
            for r in self.by_symbol.get(values["document_symbol"], ())
            if r.pk not in claimed
            and (
                r.uhri_annotation_id is None
                if row.annotation
                else r.uhri_annotation_id not in self.in_file
            )
        ]
        if values["paragraph"]:
            candidates = [r for r in candidates if r.paragraph == values["paragraph"]]
            if len(candidates) == 1:
                return candidates[0]
        return next((r for r in candidates if r.text == values["text"]), None)


def _apply(record: Recommendation, values: dict) -> list[str]:
    """Set the fields whose value changed; returns their names."""
    if record.uhri_annotation_id and not values["uhri_annotation_id"]:
        values = {**values, "uhri_annotation_id": record.uhri_annotation_id}
    changed = []
    for name, field in _FIELDS.items():
        if name not in values:
            continue
        new = values[name]
        if field.is_relation:
            new = getattr(new, "pk", new)
        if getattr(record, field.attname) != new:
            setattr(record, field.attname, new)
            changed.append(name)
    return changed


def _links_of(pks: list[int]) -> dict[str, dict[int, set[int]]]:
    """The current links of these records: link name -> record pk -> linked pks."""
    current = {}
    for name, (through, source, target) in _THROUGH.items():
        current[name] = defaultdict(set)
        if pks:
            rows = through.objects.filter(**{f"{source}__in": pks})
            for record_pk, linked_pk in rows.values_list(source, target):
                current[name][record_pk].add(linked_pk)
    return current


def _write_links(new: dict[str, list[tuple[int, list[int]]]], replaced: dict[str, list[int]]):
    """Insert the links of `new` (record pk, linked pks) after removing those of
    the `replaced` records, table by table: a DELETE and one INSERT (two arrays
    unnested on PostgreSQL, multi-row VALUES elsewhere), no model instance per link."""
    quote = connection.ops.quote_name
    for name, (through, source, target) in _THROUGH.items():
        if replaced.get(name):
            through.objects.filter(**{f"{source}__in": replaced[name]}).delete()
        pairs = [(pk, linked_pk) for pk, linked in new.get(name, ()) for linked_pk in linked]
        if not pairs:
            continue
        fields = [through._meta.get_field(f) for f in (source, target)]
        table = quote(through._meta.db_table)
        insert = f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                arrays = ", ".join(f"%s::{f.cast_db_type(connection)}[]" for f in fields)
                columns = [list(column) for column in zip(*pairs, strict=True)]
                cursor.execute(f"{insert}SELECT * FROM unnest({arrays})", columns)  # noqa: S608
                continue
            size = connection.ops.bulk_batch_size([source, target], pairs)
            for start in range(0, len(pairs), size):
                batch = pairs[start : start + size]
                cursor.execute(
                    insert + "VALUES " + ", ".join(["(%s, %s)"] * len(batch)),
                    [value for pair in batch for value in pair],
                )


def _update(records: list[Recommendation], names: list[str]) -> None:
    """Save these fields of these records, in bulk."""
    if connection.vendor != "postgresql":
        Recommendation.objects.bulk_update(records, names, batch_size=UPDATE_BATCH)
        return
    quote = connection.ops.quote_name
    fields = [Recommendation._meta.pk, *(Recommendation._meta.get_field(n) for n in names)]
    columns = [quote(f.column) for f in fields]
    row = "(" + ", ".join(f"%s::{f.cast_db_type(connection)}" for f in fields) + ")"
    sql = (
        f"UPDATE {quote(Recommendation._meta.db_table)} AS r "  # noqa: S608 (quoted names)
        f"SET {', '.join(f'{c} = v.{c}' for c in columns[1:])} "
        "FROM (VALUES {rows}) AS v("
        + ", ".join(columns)
        + f") WHERE r.{columns[0]} = v.{columns[0]}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(records), UPDATE_BATCH_POSTGRESQL):
            batch = records[start : start + UPDATE_BATCH_POSTGRESQL]
            params = [
                f.get_db_prep_save(getattr(record, f.attname), connection)
                for record in batch
                for f in fields
            ]
            cursor.execute(sql.format(rows=", ".join([row] * len(batch))), params)


def _valid(record: Recommendation, row: Row) -> bool:
    """Validate the fields of a record about to be saved; refuse its row if not."""
    try:
        record.clean_fields(exclude=NOT_CLEANED)
    except ValidationError as error:
        row.refuse(error.messages)
        return False
    return True


def _write_chunk(rows: list[Row], *, actor, claimed: set[int], in_file: set[str]) -> None:
    """Create, update or leave the record of each accepted row, and fill in its
    report line. Call inside a transaction."""
    if not rows:
        return
    existing = _Existing(rows, in_file=in_file)
    matched, created = [], []
    for row in rows:
        record = existing.match(row, claimed=claimed)
        if record is None:
            row.record = Recommendation(
                **{k: v for k, v in row.values.items() if k in _FIELDS}, created_by=actor
            )
            if _valid(row.record, row):
                created.append(row)
        else:
            claimed.add(record.pk)  # the row's record, even if the row is refused below
            matched.append((row, record))
    links = _links_of([record.pk for _row, record in matched])
    new_links, replaced = defaultdict(list), defaultdict(list)
    updated, update_fields, now = [], set(), timezone.now()
    for row, record in matched:
        changed = _apply(record, row.values)
        if changed and not _valid(record, row):
            continue
        update_fields.update(changed)
        for name in LINKS:
            if set(row.links[name]) != links[name].get(record.pk, set()):
                changed.append(name)
                replaced[name].append(record.pk)
                new_links[name].append((record.pk, row.links[name]))
        row.line.update(outcome="updated" if changed else "unchanged", id=record.pk)
        if changed:
            row.line["changed"] = changed
            record.updated_at = now
            updated.append((record, changed))
    fields = [name for name in IMPORT_FIELDS if name in update_fields]
    _update([record for record, _changed in updated], [*fields, "updated_at"])
    Recommendation.objects.bulk_create([row.record for row in created], batch_size=CHUNK_ROWS)
    for row in created:
        claimed.add(row.record.pk)
        row.line.update(outcome="created", id=row.record.pk)
        for name in LINKS:
            new_links[name].append((row.record.pk, row.links[name]))
    _write_links(new_links, replaced)
    audit_record_many(
        action=AuditAction.CREATE,
        actor=actor,
        records=[(row.record, CREATED_FIELDS) for row in created],
    )
    audit_record_many(action=AuditAction.UPDATE, actor=actor, records=updated)


def recommendation_import(
    *, table: uhri.Table, actor, progress: Callable[[int, dict], None] | None = None
) -> dict:
    """Import every row, CHUNK_ROWS rows a transaction: a refused row is refused
    before anything is written, and a chunk that fails undoes only itself.
    Returns the row-by-row report; `progress(rows done, counts)` after each chunk."""
    catalogue = Catalogue()
    rows = read_rows(table, catalogue)
    with transaction.atomic():
        new_terms = catalogue.create_missing(rows, actor=actor)
    catalogue.resolve(rows)
    # Every annotation id of the file, refused rows' too: no row without an id
    # takes the record of one of them.
    in_file = {a for _number, cells in table.rows if (a := annotation_of(cells))}
    counts = Counter({"created": 0, "updated": 0, "unchanged": 0, "refused": 0})
    claimed: set[int] = set()
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start : start + CHUNK_ROWS]
        with transaction.atomic():
            _write_chunk(
                [row for row in chunk if row.values is not None],
                actor=actor,
                claimed=claimed,
                in_file=in_file,
            )
        counts.update(row.line["outcome"] for row in chunk)
        if progress is not None:
            progress(start + len(chunk), counts)
    return {
        "counts": dict(counts),
        "rows": [row.line for row in rows],
        "unknown_bodies": dict(catalogue.unknown_bodies),
        "new_terms": new_terms,
        "ignored_columns": table.ignored_columns,
    }
