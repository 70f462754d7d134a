"""Statistics datasets now belong to the app policy_monitor.statistics (label
"statistics"), whose 0001 takes over Django's record of the model.

Nothing moves in the database: the tables policy_monitor_statisticsdataset,
policy_monitor_statisticsdataset_branches and policy_monitor_assessment_datasets
keep their names, columns, rows and constraints. Here the model leaves
policy_monitor's state, the assessments' link points at its new home, and the
content type is renamed in place (same id), so that the permissions and admin
log entries attached to it stay attached.
"""

from django.db import migrations, models

MODEL = "statisticsdataset"


def _rename_content_type(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    current = content_types.filter(app_label=old_label, model=MODEL).first()
    if current is None:
        return  # a new database: post_migrate creates it under the new label
    duplicate = content_types.filter(app_label=new_label, model=MODEL).first()
    if duplicate is not None:
        # Created by a post_migrate that ran between the two apps' migrations:
        # keep the old row (and its permissions), take over what only the
        # duplicate has, and drop it.
        held = Permission.objects.filter(content_type=current).values_list("codename", flat=True)
        Permission.objects.filter(content_type=duplicate).exclude(codename__in=list(held)).update(
            content_type=current
        )
        duplicate.delete()
    current.app_label = new_label
    current.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _rename_content_type(apps, schema_editor, "policy_monitor", "statistics")


def backwards(apps, schema_editor):
    _rename_content_type(apps, schema_editor, "statistics", "policy_monitor")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("policy_monitor", "0005_assessment_campaigns_datasets"),
        ("statistics", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="assessment",
                    name="datasets",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="assessments",
                        to="statistics.statisticsdataset",
                        verbose_name="shadow-report datasets",
                    ),
                ),
                migrations.DeleteModel(name="StatisticsDataset"),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
