"""Facilities keep a change history, and private notes belong to the group that wrote them.

Nobody recorded which group wrote a facility's old notes, so each becomes a note without a
group, which only site staff see; they may give it to the group it belongs to. Every existing
facility gets a first history record, so that the first change shows what it replaced.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def move_notes_and_start_history(apps, schema_editor):
    Facility = apps.get_model("cases", "Facility")
    FacilityNote = apps.get_model("cases", "FacilityNote")
    HistoricalFacility = apps.get_model("cases", "HistoricalFacility")
    now = timezone.now()
    notes, records = [], []
    fields = ["id", "name", "name_zh", "kind", "prefecture", "county", "latitude", "longitude"]
    for facility in Facility.objects.order_by("pk").iterator(chunk_size=2000):
        if facility.notes.strip():
            notes.append(FacilityNote(facility_id=facility.pk, text=facility.notes))
        records.append(
            HistoricalFacility(
                **{name: getattr(facility, name) for name in fields},
                history_date=now,
                history_type="+",
                history_change_reason="State when the change history began",
            )
        )
    FacilityNote.objects.bulk_create(notes, batch_size=500)
    HistoricalFacility.objects.bulk_create(records, batch_size=500)


def restore_notes(apps, schema_editor):
    Facility = apps.get_model("cases", "Facility")
    FacilityNote = apps.get_model("cases", "FacilityNote")
    for note in FacilityNote.objects.filter(organization__isnull=True).order_by("pk"):
        facility = Facility.objects.get(pk=note.facility_id)
        facility.notes = "\n\n".join(part for part in (facility.notes, note.text) if part)
        facility.save(update_fields=["notes"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_person_family_organization'),
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
        migrations.RunPython(move_notes_and_start_history, restore_notes),
        migrations.RemoveField(
            model_name='facility',
            name='notes',
        ),
    ]
