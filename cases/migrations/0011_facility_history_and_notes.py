"""Facilities keep a change history, and private notes belong to the group that wrote them
(the old notes move in the next migration)."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_person_family_organization_from_cases'),
        ('orgs', '0002_audit_log'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FacilityNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='note (private)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='written')),
                ('facility', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='private_notes', to='cases.facility', verbose_name='facility')),
                ('organization', models.ForeignKey(blank=True, help_text="Only this group's members see the note; empty: only site staff.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='facility_notes', to='orgs.organization', verbose_name='organization')),
            ],
            options={
                'verbose_name': 'private note',
                'verbose_name_plural': 'private notes',
                'ordering': ['facility', 'created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalFacility',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(max_length=250, verbose_name='name')),
                ('name_zh', models.CharField(blank=True, max_length=250, verbose_name='name in Chinese')),
                ('kind', models.CharField(choices=[('camp', 'internment camp'), ('detention_centre', 'detention centre'), ('prison', 'prison'), ('police_station', 'police station'), ('forced_labour', 'forced-labour site'), ('unknown', 'unknown')], default='unknown', max_length=20, verbose_name='kind')),
                ('prefecture', models.CharField(blank=True, choices=[('urumqi', 'Ürümqi'), ('karamay', 'Karamay'), ('turpan', 'Turpan'), ('hami', 'Hami (Kumul)'), ('changji', 'Changji'), ('bortala', 'Bortala'), ('bayingolin', 'Bayingolin'), ('aksu', 'Aksu'), ('kizilsu', 'Kizilsu'), ('kashgar', 'Kashgar'), ('hotan', 'Hotan'), ('ili', 'Ili'), ('tacheng', 'Tacheng (Chöchek)'), ('altay', 'Altay'), ('xpcc', 'XPCC city (Bingtuan)'), ('outside', 'outside Xinjiang')], max_length=20, verbose_name='prefecture')),
                ('county', models.CharField(blank=True, max_length=100, verbose_name='county')),
                ('latitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-90), django.core.validators.MaxValueValidator(90)], verbose_name='latitude')),
                ('longitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, validators=[django.core.validators.MinValueValidator(-180), django.core.validators.MaxValueValidator(180)], verbose_name='longitude')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical facility',
                'verbose_name_plural': 'historical facilities',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalFacilityNote',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('text', models.TextField(verbose_name='note (private)')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='written')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('facility', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.facility', verbose_name='facility')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, help_text="Only this group's members see the note; empty: only site staff.", null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='orgs.organization', verbose_name='organization')),
            ],
            options={
                'verbose_name': 'historical private note',
                'verbose_name_plural': 'historical private notes',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
