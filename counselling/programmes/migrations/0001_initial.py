"""The programme models, moved from the counselling app. Their tables exist
already (counselling 0002 created them): this migration only tells Django that
they now belong here."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import ngo.lib.codes
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
                    name='Programme',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title_ko', models.CharField(max_length=200, verbose_name='title (Korean)')),
                        ('title_en', models.CharField(max_length=200, verbose_name='title (English)')),
                        ('kind', models.CharField(choices=[('korean', 'Korean language'), ('culture', 'Korean culture'), ('info_literacy', 'Information literacy'), ('leadership', 'Leadership'), ('newborn_care', 'Newborn care'), ('other', 'Other')], max_length=20, verbose_name='type')),
                        ('language', models.CharField(max_length=3, validators=[ngo.lib.codes.validate_language_code], verbose_name='language of instruction')),
                        ('interpreter_available', models.BooleanField(default=False, verbose_name='interpreter available')),
                        ('completion_threshold', models.PositiveSmallIntegerField(default=75, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(100)], verbose_name='attendance needed to complete (%)')),
                        ('starts_on', models.DateField(verbose_name='starts on')),
                        ('ends_on', models.DateField(blank=True, null=True, verbose_name='ends on')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='programmes', to='accounts.branch', verbose_name='branch')),
                        ('facilitator', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='facilitated_programmes', to=settings.AUTH_USER_MODEL, verbose_name='facilitator')),
                    ],
                    options={
                        'verbose_name': 'programme',
                        'verbose_name_plural': 'programmes',
                        'db_table': 'counselling_programme',
                        'ordering': ['-starts_on', 'title_en'],
                    },
                ),
                migrations.CreateModel(
                    name='Enrolment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('member_name', ngo.lib.crypto.EncryptedCharField(blank=True, max_length=150, null=True, verbose_name='name (community member)')),
                        ('member_contact', ngo.lib.crypto.EncryptedCharField(blank=True, max_length=150, null=True, verbose_name='contact (community member)')),
                        ('status', models.CharField(choices=[('enrolled', 'Enrolled'), ('completed', 'Completed'), ('withdrawn', 'Withdrawn')], default='enrolled', max_length=10, verbose_name='status')),
                        ('enrolled_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='enrolled on')),
                        ('completed_on', models.DateField(blank=True, null=True, verbose_name='completed on')),
                        ('client', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='enrolments', to='counselling.client')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='enrolments', to='programmes.programme')),
                    ],
                    options={
                        'db_table': 'counselling_enrolment',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='ClassSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('starts_at', models.DateTimeField(verbose_name='date and time')),
                        ('place', models.CharField(blank=True, max_length=200, verbose_name='place')),
                        ('topic', models.CharField(blank=True, max_length=200, verbose_name='topic')),
                        ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sessions', to='programmes.programme')),
                    ],
                    options={
                        'verbose_name': 'class session',
                        'verbose_name_plural': 'class sessions',
                        'db_table': 'counselling_classsession',
                        'ordering': ['starts_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Attendance',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('present', models.BooleanField(default=True, verbose_name='present')),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('session', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='programmes.classsession')),
                        ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attendances', to='programmes.enrolment')),
                    ],
                    options={
                        'db_table': 'counselling_attendance',
                        'constraints': [models.UniqueConstraint(fields=('enrolment', 'session'), name='attendance_once_per_session')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='programme',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='programme_ends_after_start', violation_error_message='A programme cannot end before it starts.'),
                ),
                migrations.AddConstraint(
                    model_name='enrolment',
                    constraint=models.UniqueConstraint(condition=models.Q(('client__isnull', False)), fields=('programme', 'client'), name='client_enrolled_once', violation_error_message='She is already enrolled in this programme.'),
                ),
                migrations.AddConstraint(
                    model_name='enrolment',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('client__isnull', False), ('member_name__isnull', True)), models.Q(('client__isnull', True), ('member_name__isnull', False)), _connector='OR'), name='enrolment_client_or_member', violation_error_message='Enrol either a client (by case code) or a community member (by name).'),
                ),
    
            ],
            database_operations=[],
        ),
    ]
