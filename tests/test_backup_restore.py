"""Backups that restore: seed, back up, wipe, restore, and compare every count and every file.

Runs on whichever database the suite runs on (SQLite here, PostgreSQL in CI with DATABASE_URL),
through the management commands an administrator types.
"""

import io

import pyrage
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from cases.models import Person
from casetracker import backups
from orgs.models import AuditEvent
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    ConsentFactory,
    PersonFactory,
    PersonNameFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

IDENTITY = pyrage.x25519.Identity.generate()
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (6, 6), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def keys(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_RECIPIENT = [str(IDENTITY.to_public())]
    settings.BACKUP_IDENTITY = str(IDENTITY)
    settings.BACKUP_IDENTITY_FILE = ""
    return settings


def seed_cases(count=4):
    for number in range(count):
        person = PersonFactory(
            photo=SimpleUploadedFile("face.png", png((40 * number, 90, 160)), "image/png"),
            contact_details=f"+7 700 000 00 0{number}",
        )
        PersonNameFactory(person=person, value=f"Invented Person {number}", script="latn")
        case = CaseFactory(person=person)
        ConsentFactory(case=case)
        CaseEventFactory(case=case)
        SourceFactory(
            case=case,
            title=f"Police notice {number}",
            file=SimpleUploadedFile("notice.pdf", PDF, "application/pdf"),
        )


def wipe():
    call_command("flush", interactive=False, verbosity=0)
    for name in list(backups.media_names()):
        backups.default_storage.delete(name)
    assert backups.database_is_empty(connection) == []


def test_the_whole_drill_restores_every_row_and_every_file(keys, tmp_path, capsys):
    seed_cases()
    before_counts = backups.table_counts(connection)
    before_files = backups.media_files()
    assert before_counts["cases_case"] == 4
    assert len(before_files) == 8  # a photo and a source file per case

    call_command("backup", output=tmp_path / "backups")
    (archive,) = (tmp_path / "backups").iterdir()
    written = capsys.readouterr().out
    assert str(archive) in written and "8 files" in written
    # Encrypted: no row or file name can be read from the archive itself.
    raw = archive.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1")
    for plain in (b"Invented Person", b"+7 700", b"manifest", b"PNG"):
        assert plain not in raw

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT, target="backup")
    assert event.details == {
        "archive": archive.name,
        "rows": sum(before_counts.values()),
        "files": 8,
    }

    wipe()
    assert backups.table_counts(connection)["cases_case"] == 0
    assert backups.media_files() == {}

    call_command("restore", str(archive))
    assert "every count and every file hash as in the manifest" in capsys.readouterr().out
    assert backups.table_counts(connection) == before_counts
    assert backups.media_files() == before_files
    contacts = Person.objects.exclude(contact_details="").values_list("contact_details", flat=True)
    assert sorted(contacts) == [f"+7 700 000 00 0{n}" for n in range(4)]


def test_it_refuses_to_restore_over_records_or_files(keys, tmp_path):
    seed_cases(1)
    path, _manifest = backups.backup(tmp_path / "backups")
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(path))
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="media storage already holds files"):
        call_command("restore", str(path))


def test_it_needs_the_right_key_and_an_intact_archive(keys, tmp_path):
    seed_cases(1)
    path, _manifest = backups.backup(tmp_path / "backups")
    wipe()
    other = pyrage.x25519.Identity.generate()
    key_file = tmp_path / "other.key"
    key_file.write_text(f"# created: today\n{other}\n")
    with pytest.raises(CommandError, match="does not open the archive"):
        call_command("restore", str(path), identity_file=str(key_file))
    damaged = tmp_path / "damaged.tar.age"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged))
    assert backups.table_counts(connection)["cases_case"] == 0


def test_it_says_what_is_missing_without_keys(settings, tmp_path):
    settings.BACKUP_RECIPIENT = []
    with pytest.raises(CommandError, match="BACKUP_RECIPIENT is not set"):
        call_command("backup", output=tmp_path)
    settings.BACKUP_RECIPIENT = ["not-a-key"]
    with pytest.raises(CommandError, match="not an age public key"):
        call_command("backup", output=tmp_path)
    settings.BACKUP_IDENTITY = ""
    settings.BACKUP_IDENTITY_FILE = ""
    archive = tmp_path / "x.tar.age"
    archive.write_bytes(b"age")
    with pytest.raises(CommandError, match="No private key"):
        call_command("restore", str(archive))


def test_backup_key_prints_a_pair_that_works(capsys):
    call_command("backup_key")
    lines = capsys.readouterr().out.splitlines()
    public = next(line[2:] for line in lines if line.startswith("# age1"))
    secret = next(line for line in lines if line.startswith("AGE-SECRET-KEY-1"))
    sealed = pyrage.encrypt(b"ok", [pyrage.x25519.Recipient.from_str(public)])
    assert pyrage.decrypt(sealed, [pyrage.x25519.Identity.from_str(secret)]) == b"ok"
