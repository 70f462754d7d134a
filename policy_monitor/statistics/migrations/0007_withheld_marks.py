"""Stored tables kept a withheld figure as null. There are two marks now: "<k"
(a count from 1 to k-1) and "x" (withheld to protect another, k or more). For
the tables already stored we cannot tell which a null was, so each becomes
"x", which claims nothing false about a small count. On PostgreSQL the
release ledger is also made append-only in the database itself, like the
audit trail."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION statistics_release_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'releases are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS statistics_release_append_only ON statistics_release;
CREATE TRIGGER statistics_release_append_only
    BEFORE UPDATE OR DELETE ON statistics_release
    FOR EACH ROW EXECUTE FUNCTION statistics_release_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS statistics_release_append_only ON statistics_release;
DROP FUNCTION IF EXISTS statistics_release_append_only();
"""

FIGURES = ("row_totals", "column_totals")


def marked(table: dict, mark=lambda value: "x" if value is None else value) -> dict:
    table = dict(table)
    table["cells"] = [[mark(v) for v in row] for row in table.get("cells", [])]
    for name in FIGURES:
        table[name] = [mark(v) for v in table.get(name, [])]
    if "total" in table:
        table["total"] = mark(table["total"])
    return table


def _rewrite(apps, mark) -> None:
    Dataset = apps.get_model("statistics", "StatisticsDataset")
    for dataset in Dataset.objects.exclude(tables={}).only("pk", "tables").iterator():
        tables = {m: marked(table, mark) for m, table in (dataset.tables or {}).items()}
        if tables != dataset.tables:
            Dataset.objects.filter(pk=dataset.pk).update(tables=tables)


def none_to_x(apps, schema_editor):
    _rewrite(apps, lambda value: "x" if value is None else value)


def marks_to_none(apps, schema_editor):
    # The code before the marks knows a withheld figure as null only.
    _rewrite(apps, lambda value: None if isinstance(value, str) else value)


def triggers(apps, schema_editor):
    # A plain cursor: the SQL holds a literal % that must not be read as a parameter.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(CREATE)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("statistics", "0006_release_ledger")]

    operations = [
        migrations.RunPython(none_to_x, marks_to_none),
        migrations.RunPython(triggers, drop_triggers),
    ]
