"""People and families belong to the group that holds their record.

Existing rows take the group of the cases they appear in: the detained person their own case's
group; a relative, testifier or consent giver the group of the case they appear on (the oldest
such case when there are several); a family the group of its first member that has one. A row
that no case ties to a group stays without one: only site staff see it, until they assign it.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_organizations(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    Family = apps.get_model("cases", "Family")
    Case = apps.get_model("cases", "Case")
    Testimony = apps.get_model("cases", "Testimony")
    Consent = apps.get_model("cases", "Consent")
    Relationship = apps.get_model("cases", "Relationship")
    person = OuterRef("pk")
    # In order of precedence: each step fills only the rows still without a group.
    sources = [
        Case.objects.filter(person=person).values("organization"),
        Testimony.objects.filter(testifier=person).order_by("case_id").values(
            "case__organization"
        ),
        Consent.objects.filter(given_by=person).order_by("case_id").values("case__organization"),
        Relationship.objects.filter(relative=person, person__case__isnull=False)
        .order_by("person__case__id")
        .values("person__case__organization"),
    ]
    for source in sources:
        Person.objects.filter(organization__isnull=True).update(
            organization=Subquery(source[:1])
        )
    Family.objects.filter(organization__isnull=True).update(
        organization=Subquery(
            Person.objects.filter(family=OuterRef("pk"), organization__isnull=False)
            .order_by("pk")
            .values("organization")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_person_family_organization'),
    ]

    operations = [
        migrations.RunPython(fill_organizations, migrations.RunPython.noop, elidable=True),
    ]
