"""The shelter models, moved from the counselling app. Their tables exist already
(counselling 0002 and 0003 created them, with the PostgreSQL exclusion constraint
on bed occupancies): this migration only tells Django that they now belong here."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import ngo.lib.crypto
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_role_groups'),
        ('counselling', '0003_bed_occupancy_exclusion'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Room',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=50, verbose_name='room')),
                    ],
                    options={
                        'db_table': 'counselling_room',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Bed',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(max_length=20, verbose_name='bed')),
                        ('kind', models.CharField(choices=[('adult', 'Adult bed'), ('cot', 'Child cot')], default='adult', max_length=10, verbose_name='kind')),
                        ('out_of_service', models.BooleanField(default=False, verbose_name='out of service')),
                        ('room', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='beds', to='shelters.room')),
                    ],
                    options={
                        'db_table': 'counselling_bed',
                        'ordering': ['room__name', 'label'],
                    },
                ),
                migrations.CreateModel(
                    name='Shelter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('address', ngo.lib.crypto.EncryptedTextField(blank=True, null=True, verbose_name='address')),
                        ('max_stay_days', models.PositiveSmallIntegerField(default=180, validators=[django.core.validators.MinValueValidator(1)], verbose_name='maximum stay (days)')),
                        ('hold_hours', models.PositiveSmallIntegerField(default=2, help_text='How long a bed stays held for a referral on its way.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(72)], verbose_name='bed hold (hours)')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                        ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shelters', to='accounts.branch', verbose_name='branch')),
                    ],
                    options={
                        'verbose_name': 'shelter',
                        'verbose_name_plural': 'shelters',
                        'db_table': 'counselling_shelter',
                        'ordering': ['branch__code', 'name'],
                    },
                ),
                migrations.AddField(
                    model_name='room',
                    name='shelter',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rooms', to='shelters.shelter'),
                ),
                migrations.CreateModel(
                    name='Stay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('admitted_on', models.DateField(verbose_name='admitted on')),
                        ('expected_leave_on', models.DateField(verbose_name='expected to leave on')),
                        ('children_count', models.PositiveSmallIntegerField(default=0, verbose_name='children with her')),
                        ('discharged_on', models.DateField(blank=True, null=True, verbose_name='discharged on')),
                        ('destination', models.CharField(blank=True, choices=[('home', 'Home'), ('independent', 'Independent housing'), ('other_shelter', 'Another shelter'), ('returned', 'Returned to country of origin'), ('hospital', 'Hospital'), ('unknown', 'Unknown')], max_length=20, verbose_name='destination')),
                        ('discharge_notes', ngo.lib.crypto.EncryptedTextField(blank=True, null=True, verbose_name='discharge notes')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('bed', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='shelters.bed', verbose_name='current bed')),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stays', to='counselling.case')),
                        ('children', models.ManyToManyField(blank=True, related_name='stays', to='counselling.child', verbose_name='accompanying children')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stays', to='counselling.client')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('shelter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='stays', to='shelters.shelter')),
                    ],
                    options={
                        'verbose_name': 'stay',
                        'verbose_name_plural': 'stays',
                        'db_table': 'counselling_stay',
                        'ordering': ['-admitted_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='BedOccupancy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_on', models.DateField()),
                        ('ends_on', models.DateField(blank=True, null=True)),
                        ('bed', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='occupancies', to='shelters.bed')),
                        ('stay', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='occupancies', to='shelters.stay')),
                    ],
                    options={
                        'db_table': 'counselling_bedoccupancy',
                        'ordering': ['starts_on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='BedHold',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('expires_at', models.DateTimeField(verbose_name='expires at')),
                        ('released_at', models.DateTimeField(blank=True, null=True, verbose_name='released at')),
                        ('bed', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='holds', to='shelters.bed')),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='bed_holds', to='counselling.case')),
                        ('held_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'counselling_bedhold',
                        'ordering': ['-created_at'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('released_at__isnull', True)), fields=('bed',), name='one_unreleased_hold_per_bed')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='bed',
                    constraint=models.UniqueConstraint(fields=('room', 'label'), name='bed_label_unique'),
                ),
                migrations.AddConstraint(
                    model_name='shelter',
                    constraint=models.UniqueConstraint(fields=('branch', 'name'), name='shelter_name_unique'),
                ),
                migrations.AddConstraint(
                    model_name='room',
                    constraint=models.UniqueConstraint(fields=('shelter', 'name'), name='room_name_unique'),
                ),
                migrations.AddConstraint(
                    model_name='stay',
                    constraint=models.UniqueConstraint(condition=models.Q(('discharged_on__isnull', True)), fields=('client',), name='one_open_stay_per_client', violation_error_message='She already has an open stay.'),
                ),
                migrations.AddConstraint(
                    model_name='stay',
                    constraint=models.CheckConstraint(condition=models.Q(('discharged_on__isnull', True), ('discharged_on__gte', models.F('admitted_on')), _connector='OR'), name='stay_discharged_after_admitted', violation_error_message='Discharge cannot be before admission.'),
                ),
                migrations.AddConstraint(
                    model_name='stay',
                    constraint=models.CheckConstraint(condition=models.Q(('expected_leave_on__gte', models.F('admitted_on'))), name='stay_expected_leave_after_admitted', violation_error_message='The expected leave date is before admission.'),
                ),
                migrations.AddConstraint(
                    model_name='bedoccupancy',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='occupancy_ends_after_start'),
                ),
                migrations.AddConstraint(
                    model_name='bedoccupancy',
                    constraint=models.UniqueConstraint(condition=models.Q(('ends_on__isnull', True)), fields=('bed',), name='one_current_occupancy_per_bed'),
                ),
    
            ],
            database_operations=[],
        ),
    ]
