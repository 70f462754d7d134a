"""Archive-volume data for benchmarks: `manage.py seed_volume --volume small|archive`.

The foundation names the sizes, writes rows in bulk and runs each app's part.
Every app that has records to add keeps a `volume.py` with `ORDER` (when it
runs: after the records it points at) and `seed(plan)`; the apps are found by
name, as their demo data are, so the foundation imports none of them.

Rows are written with their primary keys chosen here (one id range per table),
through PostgreSQL's COPY or, on SQLite, one `executemany`; encrypted fields go
through the field's own preparation, i.e. are encrypted with the real key.
Everything is written in one transaction, and a marker account records the
volume at the end: running the command again finds it and does nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.db import connection, models, transaction
from django.utils import timezone

MARKER_EMAIL = "volume-seed@hamkke.invalid"


@dataclass(frozen=True)
class Volume:
    """How many of each record; the rest follows in proportion."""

    name: str
    clients: int
    cases: int
    sessions: int
    staff_per_branch: int
    shelters: int
    stays: int
    documents: int
    organisations: int
    campaigns: int
    recommendations: int
    audit_events: int
    years: int = 10

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


VOLUMES = {
    "archive": Volume(
        name="archive",
        clients=100_000,
        cases=200_000,
        sessions=2_000_000,
        staff_per_branch=40,
        shelters=20,
        stays=20_000,
        documents=20_000,
        organisations=2_000,
        campaigns=300,
        recommendations=150_000,
        audit_events=1_000_000,
    ),
    "small": Volume(
        name="small",
        clients=1_000,
        cases=2_000,
        sessions=20_000,
        staff_per_branch=6,
        shelters=4,
        stays=400,
        documents=200,
        organisations=100,
        campaigns=10,
        recommendations=2_000,
        audit_events=10_000,
    ),
    # For the tests of the generator itself.
    "tiny": Volume(
        name="tiny",
        clients=40,
        cases=70,
        sessions=300,
        staff_per_branch=2,
        shelters=2,
        stays=30,
        documents=10,
        organisations=12,
        campaigns=3,
        recommendations=40,
        audit_events=200,
        years=3,
    ),
}


def weighted(rng: random.Random, table: dict, k: int | None = None):
    """One value (or k values) drawn with the weights of `table` {value: weight}."""
    values, weights = list(table), list(table.values())
    if k is None:
        return rng.choices(values, weights)[0]
    return rng.choices(values, weights, k=k)


def spread(rng: random.Random, total: int, buckets: int, minimum: int = 1) -> list[int]:
    """`total` items over `buckets`, each at least `minimum`, unevenly (exact sum)."""
    counts = [minimum] * buckets
    rest = total - minimum * buckets
    if rest > 0:
        # A few buckets get many: weights from a long-tailed distribution.
        weights = [rng.paretovariate(2.0) for _ in range(buckets)]
        for index in rng.choices(range(buckets), weights, k=rest):
            counts[index] += 1
    return counts


class Writer:
    """Inserts rows (dicts by column attname) with explicit ids, fast."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = defaultdict(int)
        self._next: dict[type, int] = {}
        self._defaults: dict[type, dict] = {}

    def ids(self, model: type[models.Model], count: int) -> range:
        """Reserve `count` primary keys for `model`."""
        start = self._next.get(model)
        if start is None:
            top = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
            start = top + 1
        self._next[model] = start + count
        return range(start, start + count)

    def row(self, model: type[models.Model], **values) -> dict:
        """A full row of `model`: the given values, every other column at its
        default (None where nullable, the clock for auto_now, "" for blank text)."""
        defaults = self._defaults.get(model)
        if defaults is None:
            defaults = {}
            for model_field in model._meta.concrete_fields:
                if model_field.primary_key:
                    continue
                if getattr(model_field, "auto_now", False) or getattr(
                    model_field, "auto_now_add", False
                ):
                    defaults[model_field.attname] = timezone.now
                elif model_field.has_default():
                    defaults[model_field.attname] = model_field.get_default
                elif model_field.null:
                    defaults[model_field.attname] = _none
                else:
                    defaults[model_field.attname] = _blank
            self._defaults[model] = defaults
        full = {"id": values.pop("id")} if "id" in values else {}
        for attname, make in defaults.items():
            full[attname] = values.pop(attname) if attname in values else make()
        if values:
            raise TypeError(f"{model.__name__} has no column(s) {sorted(values)}")
        return full

    def _converters(self, model, columns) -> list[Callable]:
        from ngo.lib.crypto import HamkkeKeysMixin

        converters = []
        for column in columns:
            model_field = next(f for f in model._meta.concrete_fields if f.attname == column)
            plain = isinstance(
                model_field,
                (
                    models.AutoField,
                    models.BigAutoField,
                    models.IntegerField,
                    models.CharField,
                    models.TextField,
                    models.BooleanField,
                    models.DateField,
                    models.ForeignKey,
                ),
            ) and not isinstance(model_field, HamkkeKeysMixin)
            if self.postgres and plain:
                converters.append(lambda value: value)
            else:
                converters.append(
                    lambda value, f=model_field: f.get_db_prep_save(value, connection)
                )
        return converters

    def insert(self, model: type[models.Model], rows: Iterable[dict], chunk: int = 5000) -> int:
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        columns = list(first)
        # Columns the rows leave out that may not be NULL take the model's
        # default (a record's version starts at 1); Django's defaults are not
        # the database's, so COPY would otherwise write NULL.
        implied = {
            f.attname: f.get_default()
            for f in model._meta.concrete_fields
            if not f.primary_key and f.attname not in first and f.has_default() and not f.null
        }
        if implied:
            columns += list(implied)
            rows = ({**row, **implied} for row in rows)
            first = {**first, **implied}
        converters = self._converters(model, columns)
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)

        def values() -> Iterator[tuple]:
            for row in _chain(first, rows):
                yield tuple(convert(row[c]) for convert, c in zip(converters, columns, strict=True))

        written = 0
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in values():
                        copy.write_row(row)
                        written += 1
            else:
                marks = ", ".join(["%s"] * len(columns))
                # Table and column names come from the models, never from input.
                insert = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
                batch = []
                for row in values():
                    batch.append(row)
                    if len(batch) >= chunk:
                        cursor.executemany(insert, batch)
                        written += len(batch)
                        batch = []
                if batch:
                    cursor.executemany(insert, batch)
                    written += len(batch)
        self.counts[model._meta.label] += written
        return written

    def add(self, model: type[models.Model], rows: list[dict]) -> int:
        """Insert rows made without ids, giving each the next id of `model`."""
        for row, row_id in zip(rows, self.ids(model, len(rows)), strict=True):
            row["id"] = row_id
        return self.insert(model, rows)

    def reset_sequences(self) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in self._next:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'),"  # noqa: S608
                    f" (SELECT COALESCE(MAX(id), 1) FROM {connection.ops.quote_name(table)}))",
                    [table],
                )


def _none():
    return None


def _blank():
    return ""


def _chain(first, rest):
    yield first
    yield from rest


@dataclass
class Plan:
    """What one run knows: the sizes, the random source, the clock, the writer and
    what earlier parts made (ids by kind, e.g. `made["cases"]`)."""

    volume: Volume
    rng: random.Random
    now: datetime
    writer: Writer
    made: dict = field(default_factory=dict)
    report: Callable[[str], None] = print

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def moment(self, start: date | datetime, end: date | datetime) -> datetime:
        """A random aware datetime between start and end (days start at 09:00)."""
        start, end = self._aware(start), self._aware(end)
        span = max((end - start).total_seconds(), 0)
        return start + timedelta(seconds=self.rng.uniform(0, span))

    def _aware(self, value: date | datetime) -> datetime:
        if isinstance(value, datetime):
            return value
        return datetime(value.year, value.month, value.day, 9, 0, tzinfo=self.zone)

    @property
    def zone(self):
        zone = self.__dict__.get("_zone")
        if zone is None:
            zone = self.__dict__["_zone"] = timezone.get_current_timezone()
        return zone

    def day(self, start: date, end: date) -> date:
        span = max((end - start).days, 0)
        return start + timedelta(days=self.rng.randint(0, span))


def parts() -> list:
    """Each installed app's `volume` module, in the order they must run."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.volume"
        if find_spec(config.name) is not None and find_spec(name) is not None:
            found.append(import_module(name))
    return sorted(found, key=lambda module: module.ORDER)


def seeded_volume() -> str | None:
    from ngo.accounts.models import User

    marker = User.objects.filter(email=MARKER_EMAIL).first()
    return marker.full_name.removeprefix("volume:") if marker else None


def seed(volume_name: str, *, seed_value: int = 20261201, report=print) -> dict:
    """Fill the database to `volume_name`; returns the rows written per model
    (empty when the database already holds that volume)."""
    from ngo.accounts.models import User

    volume = VOLUMES[volume_name]
    present = seeded_volume()
    if present == volume_name:
        report(f"The database already holds the {volume_name} volume; nothing to do.")
        return {}
    if present is not None:
        raise ValueError(
            f"This database holds the {present} volume; use another database for {volume_name}."
        )
    writer = Writer()
    plan = Plan(
        volume=volume,
        rng=random.Random(seed_value),
        now=timezone.now(),
        writer=writer,
        report=report,
    )
    with transaction.atomic():
        for part in parts():
            started = timezone.now()
            part.seed(plan)
            seconds = (timezone.now() - started).total_seconds()
            report(f"  {part.__name__}: {seconds:.1f} s")
        writer.reset_sequences()
        User.objects.create(
            email=MARKER_EMAIL,
            full_name=f"volume:{volume_name}",
            role="auditor",
            is_active=False,
            password="!",  # noqa: S106 - an unusable password
        )
    return dict(writer.counts)
