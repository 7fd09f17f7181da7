"""Facilities keep a change history, and private notes belong to the group that wrote them.

Nobody recorded which group wrote a facility's old notes, so each becomes a note without a
group, which only site staff see; they may give it to the group it belongs to. Every existing
facility gets a first history record, so that the first change shows what it replaced.
"""

from django.db import migrations
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
        ('cases', '0011_facility_history_and_notes'),
    ]

    operations = [
        migrations.RunPython(move_notes_and_start_history, restore_notes),
        migrations.RemoveField(
            model_name='facility',
            name='notes',
        ),
    ]
