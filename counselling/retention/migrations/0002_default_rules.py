from django.db import migrations

DEFAULTS = {"closed_case": 10, "unlinked_client": 3}


def add_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    for kind, years in DEFAULTS.items():
        RetentionRule.objects.get_or_create(kind=kind, defaults={"years": years})


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
