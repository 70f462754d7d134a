"""The directory migration that turns the JSON list of tags into shared Tag rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_json_tags_become_tag_rows_and_back():
    before = [("directory", "0001_initial")]
    after = [("directory", "0002_contacts_tags_authorities")]
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        Old = old_apps.get_model("directory", "Organisation")
        Old.objects.create(name_en="A", kind="ngo", tags=["women", " migrants ", "women"])
        Old.objects.create(name_en="B", kind="ngo", tags=["migrants"])
        Old.objects.create(name_en="C", kind="ngo", tags=[])

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new_apps = executor.loader.project_state(after).apps
        New = new_apps.get_model("directory", "Organisation")
        Tag = new_apps.get_model("directory", "Tag")
        assert sorted(Tag.objects.values_list("name", flat=True)) == ["migrants", "women"]
        tags = {o.name_en: sorted(t.name for t in o.tags.all()) for o in New.objects.all()}
        assert tags == {"A": ["migrants", "women"], "B": ["migrants"], "C": []}

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = executor.loader.project_state(before).apps.get_model("directory", "Organisation")
        assert sorted(back.objects.get(name_en="A").tags) == ["migrants", "women"]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
