"""Administrators maintain the policy catalogues in the Django admin: word
limits, thesaurus terms, mechanism names and aliases, SDG targets."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    "view_wordlimit",
    "add_wordlimit",
    "change_wordlimit",
    "view_term",
    "add_term",
    "change_term",
    "view_mechanism",
    "change_mechanism",
    "view_sdgtarget",
    "add_sdgtarget",
    "change_sdgtarget",
]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("policy_monitor")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="administrator")
    for codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="policy_monitor", codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("policy_monitor", "0002_seed_mechanisms"),
        ("accounts", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
