"""Contacts and ID numbers are encrypted at rest with keys from the environment: the database
and a dump of it hold no clear text, keys rotate with a command, and nothing searches them."""

import datetime
import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.contrib import admin
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.models import Person, Submission
from casetracker.encryption import encrypted_fields
from tests.factories import PersonFactory
from tests.test_settings import load_settings

# Invented values, long enough that a match in a dump cannot be chance.
PRC_ID = "650102198001010011"
PASSPORT = "N98765432"
CONTACT = "+7 701 555 12 34, WhatsApp of the daughter"
SUBMITTER = "Signal +996 555 123 456"
SECRETS = (PRC_ID, PASSPORT, "701 555 12 34", "996 555 123 456")

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def make_records():
    person = PersonFactory(prc_id_number=PRC_ID, passport_numbers=PASSPORT)
    # A second save: the history holds two copies of the person.
    person.contact_details = CONTACT
    person.save()
    Submission.objects.create(
        submitter_name="Testova Aigerim",
        submitter_contact=SUBMITTER,
        detained_names="Testov Erlan",
        account="Invented account.",
    )
    return person


def dump_database():
    """Every cell of every table, as a dump (pg_dump, a copied SQLite file) would hold it."""
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            cells.extend(str(value) for row in cursor.fetchall() for value in row)
    return cells


def raw_values(table, columns):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table}")
        return [value for row in cursor.fetchall() for value in row if value]


@pytest.mark.django_db
def test_the_database_holds_no_clear_contact_or_id_number():
    person = make_records()
    dump = "\n".join(dump_database())
    for secret in SECRETS:
        assert secret not in dump
    stored = raw_values("cases_person", ["prc_id_number", "passport_numbers", "contact_details"])
    stored += raw_values(
        "cases_historicalperson", ["prc_id_number", "passport_numbers", "contact_details"]
    )
    stored += raw_values("cases_submission", ["submitter_contact"])
    assert len(stored) == 3 + 2 + 3 + 1
    assert all(value.startswith("gAAAAA") for value in stored)
    # The application reads them in clear.
    person = Person.objects.get(pk=person.pk)
    assert (person.prc_id_number, person.passport_numbers, person.contact_details) == (
        PRC_ID,
        PASSPORT,
        CONTACT,
    )
    assert person.history.earliest().prc_id_number == PRC_ID
    assert Submission.objects.get().submitter_contact == SUBMITTER


@pytest.mark.django_db
def test_bulk_loads_encrypt_too():
    """seed_demo and the spreadsheet import write people with multi-row INSERT (or COPY on
    PostgreSQL), around the ORM: the values are encrypted on that path as well."""
    from cases.management.bulk import BulkInsert

    people = BulkInsert(Person)
    people.add(prc_id_number=PRC_ID, contact_details=CONTACT)
    people.flush()
    dump = "\n".join(dump_database())
    assert PRC_ID not in dump and "701 555 12 34" not in dump
    person = Person.objects.get()
    assert (person.prc_id_number, person.contact_details) == (PRC_ID, CONTACT)


@pytest.mark.django_db
def test_the_admin_shows_and_saves_the_values_in_clear(client, volunteer, organization):
    from tests.admin_forms import form_data
    from tests.factories import CaseFactory

    case = CaseFactory(organization=organization, person=make_records())
    client.force_login(volunteer)
    page = client.get(f"/admin/cases/person/{case.person.pk}/change/")
    assert PRC_ID in page.text and CONTACT in page.text
    response = client.post(
        f"/admin/cases/person/{case.person.pk}/change/",
        form_data(page, contact_details="+7 702 000 11 22"),
    )
    assert response.status_code == 302
    assert Person.objects.get(pk=case.person.pk).contact_details == "+7 702 000 11 22"
    assert "702 000 11 22" not in "\n".join(dump_database())


@pytest.mark.django_db
def test_a_key_rotation_re_encrypts_every_row_with_the_first_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    person = make_records()
    updated_at = Person.objects.get(pk=person.pk).updated_at
    history_count = person.history.count()

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    output = io.StringIO()
    call_command("rotate_encryption_key", stdout=output)
    assert "cases.Person: 1 rows re-encrypted" in output.getvalue()

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    person = Person.objects.get(pk=person.pk)
    assert (person.prc_id_number, person.contact_details) == (PRC_ID, CONTACT)
    assert person.history.earliest().passport_numbers == PASSPORT
    assert Submission.objects.get().submitter_contact == SUBMITTER
    # Rewritten in place: no new history, no new "last changed".
    assert (person.updated_at, person.history.count()) == (updated_at, history_count)
    for token in raw_values("cases_person", ["prc_id_number"]):
        Fernet(NEW_KEY).decrypt(token.encode())
        with pytest.raises(InvalidToken):
            Fernet(OLD_KEY).decrypt(token.encode())


@pytest.mark.django_db
def test_a_value_no_key_opens_is_an_error_that_does_not_quote_it(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    person = make_records()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(Exception, match="cannot be decrypted") as error:
        Person.objects.get(pk=person.pk)
    assert PRC_ID not in str(error.value)


@pytest.mark.django_db
def test_nothing_searches_or_filters_on_an_encrypted_field():
    make_records()
    with pytest.raises(FieldError):
        list(Person.objects.filter(prc_id_number=PRC_ID))
    with pytest.raises(FieldError):
        list(Person.objects.filter(contact_details__icontains="701"))
    # Whether a value was recorded stays a query: empty values are stored empty.
    assert Person.objects.exclude(contact_details="").count() == 1
    assert Person.objects.filter(prc_id_number="").count() == 0
    encrypted = {field.name for model in (Person, Submission) for field in encrypted_fields(model)}
    for model_admin in admin.site._registry.values():
        used = [
            *model_admin.search_fields,
            *(f if isinstance(f, str) else "" for f in model_admin.list_filter),
            *(model_admin.ordering or ()),
        ]
        for path in used:
            assert not encrypted & set(path.lstrip("=^@-").split("__")), (model_admin, path)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_rows_already_there():
    executor = MigrationExecutor(connection)
    migration = next(
        key
        for key in executor.loader.graph.nodes
        if key[0] == "cases" and key[1].endswith("encrypt_contacts_and_id_numbers")
    )
    parents = executor.loader.graph.node_map[migration].parents
    before = [node.key for node in parents if node.key[0] == "cases"]
    executor.migrate(before)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO cases_person (gender, birth_date_precision, ethnicity, "
                "hometown_prefecture, hometown_county, hometown_township, hometown_village, "
                "occupation, photo, prc_id_number, passport_numbers, contact_details, notes, "
                "created_at, updated_at) VALUES ('female', 'year', 'kazakh', '', '', '', '', "
                "'', '', %s, '', %s, '', %s, %s)",
                [PRC_ID, CONTACT, *[datetime.datetime.now(datetime.UTC)] * 2],
            )
        executor = MigrationExecutor(connection)
        executor.migrate([migration])
        assert PRC_ID not in "\n".join(dump_database())
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        person = Person.objects.get()
        assert (person.prc_id_number, person.contact_details) == (PRC_ID, CONTACT)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_production_refuses_to_start_without_a_key():
    result = load_settings(
        {"DEBUG": "false", "SECRET_KEY": "k" * 50, "FIELD_ENCRYPTION_KEYS": ""},
        "s.FIELD_ENCRYPTION_KEYS",
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr


def test_development_uses_a_fixed_key_with_a_warning():
    result = load_settings(
        {"DEBUG": "true", "FIELD_ENCRYPTION_KEYS": ""}, "s.FIELD_ENCRYPTION_KEYS"
    )
    assert result.returncode == 0, result.stderr
    assert "public development key" in result.stderr
    assert "Y2FzZXRyYWNrZXItZGV2ZWxvcG1lbnQta2V5LW9ubHk=" in result.stdout


def test_production_refuses_the_development_key_and_a_malformed_key():
    development = load_settings(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 50,
            "FIELD_ENCRYPTION_KEYS": "Y2FzZXRyYWNrZXItZGV2ZWxvcG1lbnQta2V5LW9ubHk=",
        },
        "s.FIELD_ENCRYPTION_KEYS",
    )
    assert development.returncode != 0
    assert "development key" in development.stderr
    malformed = load_settings(
        {"DEBUG": "false", "SECRET_KEY": "k" * 50, "FIELD_ENCRYPTION_KEYS": f"{NEW_KEY},oops"},
        "s.FIELD_ENCRYPTION_KEYS",
    )
    assert malformed.returncode != 0
    assert "key 2 is not a Fernet key" in malformed.stderr
    assert NEW_KEY not in malformed.stderr


def test_production_reads_the_keys_first_one_first():
    result = load_settings(
        {"DEBUG": "false", "SECRET_KEY": "k" * 50, "FIELD_ENCRYPTION_KEYS": f"{NEW_KEY},{OLD_KEY}"},
        "s.FIELD_ENCRYPTION_KEYS",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str([NEW_KEY, OLD_KEY])
