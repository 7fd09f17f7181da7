"""The data steps of the migrations that gave people and families a holding group and moved
facility notes: run on rows written with the schema from before them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def cases_migration(suffix):
    executor = MigrationExecutor(connection)
    return next(
        key
        for key in executor.loader.disk_migrations
        if key[0] == "cases" and key[1].endswith(suffix)
    )


def migrate(target):
    """Migrate the cases app to `target` and return the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.fixture
def before_holding_groups(transactional_db):
    """The migration before people had a holding group; the schema is brought back up after."""
    schema = cases_migration("_person_family_organization")
    executor = MigrationExecutor(connection)
    parent = next(
        node.key
        for node in executor.loader.graph.node_map[schema].parents
        if node.key[0] == "cases"
    )
    yield parent, cases_migration("_person_family_organization_from_cases")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_people_and_families_take_the_group_of_the_cases_they_appear_in(before_holding_groups):
    parent, target = before_holding_groups
    old = migrate(parent)
    Person = old.get_model("cases", "Person")
    Family = old.get_model("cases", "Family")
    Case = old.get_model("cases", "Case")
    country = old.get_model("orgs", "Country").objects.create(code="KZ", name="Kazakhstan")
    Organization = old.get_model("orgs", "Organization")
    almaty = Organization.objects.create(name="Almaty", slug="almaty", country=country)
    bishkek = Organization.objects.create(name="Bishkek", slug="bishkek", country=country)
    family = Family.objects.create(label="Invented family")
    lonely_family = Family.objects.create(label="Invented family of nobody")
    people = {
        name: Person.objects.create(family=family if name == "relative" else None)
        for name in ("detained", "other", "relative", "testifier", "giver", "stranger")
    }
    case = Case.objects.create(entry_number=1, person=people["detained"], organization=almaty)
    Case.objects.create(entry_number=2, person=people["other"], organization=bishkek)
    old.get_model("cases", "Relationship").objects.create(
        person=people["detained"], relative=people["relative"], kind="son"
    )
    old.get_model("cases", "Testimony").objects.create(
        case=case, testifier=people["testifier"], medium="interview"
    )
    old.get_model("cases", "Consent").objects.create(case=case, given_by=people["giver"])

    new = migrate(target)
    groups = dict(new.get_model("cases", "Person").objects.values_list("pk", "organization_id"))
    assert {name: groups[person.pk] for name, person in people.items()} == {
        "detained": almaty.pk,
        "other": bishkek.pk,
        "relative": almaty.pk,
        "testifier": almaty.pk,
        "giver": almaty.pk,
        "stranger": None,
    }
    families = dict(new.get_model("cases", "Family").objects.values_list("pk", "organization_id"))
    assert families == {family.pk: almaty.pk, lonely_family.pk: None}


def test_old_facility_notes_go_to_site_staff_and_history_starts(before_holding_groups):
    _parent, target = before_holding_groups
    old = migrate(target)
    Facility = old.get_model("cases", "Facility")
    noted = Facility.objects.create(name="Invented Camp No. 1", notes="Old private note")
    plain = Facility.objects.create(name="Invented Camp No. 2")

    new = migrate(cases_migration("_facility_notes_to_site_staff"))
    notes = list(new.get_model("cases", "FacilityNote").objects.values_list(
        "facility_id", "organization_id", "text"
    ))  # fmt: skip
    assert notes == [(noted.pk, None, "Old private note")]
    history = new.get_model("cases", "HistoricalFacility").objects.order_by("id")
    assert [(h.id, h.name, h.history_type) for h in history] == [
        (noted.pk, "Invented Camp No. 1", "+"),
        (plain.pk, "Invented Camp No. 2", "+"),
    ]
