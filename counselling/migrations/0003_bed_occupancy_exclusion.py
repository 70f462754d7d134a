"""On PostgreSQL the database itself forbids two overlapping occupancies of one
bed: an exclusion constraint over the bed and its [starts_on, ends_on) dates.
(SQLite has no such constraint; the services lock and check on every backend.)"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE counselling_bedoccupancy
    ADD CONSTRAINT bed_occupancy_no_overlap
    EXCLUDE USING gist (bed_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&);
"""

DROP = """
ALTER TABLE counselling_bedoccupancy DROP CONSTRAINT IF EXISTS bed_occupancy_no_overlap;
"""


def _run(schema_editor, sql):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def forwards(apps, schema_editor):
    _run(schema_editor, CREATE)


def backwards(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("counselling", "0002_shelters_programmes")]

    operations = [migrations.RunPython(forwards, backwards)]
