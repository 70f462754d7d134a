"""The content types of the moved models follow them to this app, so that the
permissions attached to them (and the groups holding those) stay as they were.

A content type that Django already made for this app in the meantime (it has no
data of its own yet) gives way to the one that carries the permissions."""

from django.db import migrations

MODELS = ["programme", "classsession", "enrolment", "attendance"]


def _move(apps, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label=new_label, model=model).delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])
    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    CurrentContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, "counselling", "programmes")


def backwards(apps, schema_editor):
    _move(apps, "programmes", "counselling")


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
        ("counselling", "0004_move_shelters_and_programmes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
