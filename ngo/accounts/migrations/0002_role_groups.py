"""One group per role, with the Django model permissions the admin site needs.

Access to records is decided by ngo.access and the role's capabilities;
these groups only drive the Django admin. Apps that add models extend them in
their own migrations.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = [
    "counsellor",
    "shelter_worker",
    "branch_manager",
    "campaign_coordinator",
    "policy_officer",
    "administrator",
    "auditor",
    "volunteer",
]

PERMISSIONS = {
    "administrator": [
        ("accounts", "view_branch"),
        ("accounts", "add_branch"),
        ("accounts", "change_branch"),
        ("accounts", "view_user"),
        ("accounts", "add_user"),
        ("accounts", "change_user"),
        ("audit", "view_auditevent"),
    ],
    "auditor": [("audit", "view_auditevent")],
}


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, codename in PERMISSIONS.get(role, []):
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
