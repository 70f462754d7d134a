"""Administrators change the reminder rules in the admin site."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_reminderrule", "add_reminderrule", "change_reminderrule", "delete_reminderrule"]


def forwards(apps, schema_editor):
    config = apps.get_app_config("reminders")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="administrator")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="reminders", codename__in=CODENAMES)
    )


def backwards(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="administrator").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="reminders", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("accounts", "0002_role_groups"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
