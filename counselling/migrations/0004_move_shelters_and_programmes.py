"""Shelters and programmes are apps of their own now (counselling.shelters,
counselling.programmes). Their models leave this app's state only; the tables
stay as they are, now owned by those apps (which keep the table names)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('counselling', '0003_bed_occupancy_exclusion'),
        ('programmes', '0001_initial'),
        ('shelters', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='bed',
                    name='room',
                ),
                migrations.RemoveField(
                    model_name='stay',
                    name='bed',
                ),
                migrations.RemoveField(
                    model_name='bedhold',
                    name='bed',
                ),
                migrations.RemoveField(
                    model_name='bedoccupancy',
                    name='bed',
                ),
                migrations.RemoveField(
                    model_name='bedhold',
                    name='case',
                ),
                migrations.RemoveField(
                    model_name='bedhold',
                    name='held_by',
                ),
                migrations.RemoveField(
                    model_name='bedoccupancy',
                    name='stay',
                ),
                migrations.RemoveField(
                    model_name='classsession',
                    name='programme',
                ),
                migrations.RemoveField(
                    model_name='enrolment',
                    name='client',
                ),
                migrations.RemoveField(
                    model_name='enrolment',
                    name='programme',
                ),
                migrations.RemoveField(
                    model_name='programme',
                    name='branch',
                ),
                migrations.RemoveField(
                    model_name='programme',
                    name='facilitator',
                ),
                migrations.RemoveField(
                    model_name='room',
                    name='shelter',
                ),
                migrations.RemoveField(
                    model_name='shelter',
                    name='branch',
                ),
                migrations.RemoveField(
                    model_name='stay',
                    name='shelter',
                ),
                migrations.RemoveField(
                    model_name='stay',
                    name='case',
                ),
                migrations.RemoveField(
                    model_name='stay',
                    name='children',
                ),
                migrations.RemoveField(
                    model_name='stay',
                    name='client',
                ),
                migrations.RemoveField(
                    model_name='stay',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='Attendance',
                ),
                migrations.DeleteModel(
                    name='Bed',
                ),
                migrations.DeleteModel(
                    name='BedHold',
                ),
                migrations.DeleteModel(
                    name='BedOccupancy',
                ),
                migrations.DeleteModel(
                    name='ClassSession',
                ),
                migrations.DeleteModel(
                    name='Enrolment',
                ),
                migrations.DeleteModel(
                    name='Programme',
                ),
                migrations.DeleteModel(
                    name='Room',
                ),
                migrations.DeleteModel(
                    name='Shelter',
                ),
                migrations.DeleteModel(
                    name='Stay',
                ),
    
            ],
            database_operations=[],
        ),
    ]
