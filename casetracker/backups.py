"""Backups that restore: the database and the media files in one archive, encrypted with age.

An archive is a tar stream encrypted to the public keys in BACKUP_RECIPIENT (so the server that
writes backups cannot read them: the private key lives elsewhere). Inside, in this order:

    manifest.json      when, from which database, the row count of every table, and the size
                       and SHA-256 of the database dump and of every media file
    database.dump      PostgreSQL: `pg_dump --format=custom`, taken in the same snapshot as the
    or database.sqlite3  counts; SQLite: a copy made with SQLite's online backup API
    media/<name>       every file of the default storage

Restoring reads the manifest first, refuses a database that already holds records or a media
storage that already holds files, restores both, then counts and hashes again and compares every
figure with the manifest. Nothing private is printed: table names, counts and file names (which
are random, see cases.uploads) only.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyrage
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
CHUNK = 1 << 20
# Tables that `migrate` (and `flush`) fill by themselves: a freshly migrated database is empty
# even though they hold rows, and the restore replaces them with the archive's.
SELF_FILLED_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
# Files the health check writes and deletes at once; never worth restoring.
SKIPPED_MEDIA_PREFIXES = ("healthz/",)


MISSING_CLIENT = (
    "pg_dump and pg_restore are not installed: apt-get install postgresql-client (of the "
    "server's major version)."
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class RestoreReport:
    manifest: dict
    mismatches: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- keys -----------------------------------------------------------------------------------------


def recipients() -> list:
    keys = [key for key in settings.BACKUP_RECIPIENT if key.strip()]
    if not keys:
        raise BackupError(
            "BACKUP_RECIPIENT is not set: set it to the age public key (age1…) that backups are "
            "encrypted to. `manage.py backup_key` makes a key pair."
        )
    try:
        return [pyrage.x25519.Recipient.from_str(key.strip()) for key in keys]
    except pyrage.RecipientError as error:
        raise BackupError("BACKUP_RECIPIENT is not an age public key (age1…).") from error


def identities(identity_file: str | None = None) -> list:
    """The private keys that open an archive: BACKUP_IDENTITY, or the file named by
    BACKUP_IDENTITY_FILE (or given on the command line), in age-keygen's format."""
    lines = []
    path = identity_file or settings.BACKUP_IDENTITY_FILE
    if path:
        try:
            lines = Path(path).read_text().splitlines()
        except OSError as error:
            raise BackupError(f"Cannot read the identity file {path}.") from error
    elif settings.BACKUP_IDENTITY:
        lines = [settings.BACKUP_IDENTITY]
    keys = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    if not keys:
        raise BackupError(
            "No private key: set BACKUP_IDENTITY (AGE-SECRET-KEY-1…) or BACKUP_IDENTITY_FILE, "
            "or pass --identity-file."
        )
    try:
        return [pyrage.x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError as error:
        raise BackupError("The private key is not an age identity (AGE-SECRET-KEY-1…).") from error


# --- what is in the database and the storage ---------------------------------------------------


def _quote(connection, table: str) -> str:
    return connection.ops.quote_name(table)


def table_counts(connection) -> dict[str, int]:
    """The row count of every table of the database, by table name."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(connection, table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as database:
        tables = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in sorted(tables)
        }


def media_names(storage=None, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        path = f"{folder}/{name}" if folder else name
        if not path.startswith(SKIPPED_MEDIA_PREFIXES):
            yield path
    for sub in sorted(folders):
        yield from media_names(storage, f"{folder}/{sub}" if folder else sub)


def file_digest(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def media_files(storage=None) -> dict[str, dict]:
    storage = storage or default_storage
    files = {}
    for name in media_names(storage):
        with storage.open(name, "rb") as handle:
            sha256, size = file_digest(handle)
        files[name] = {"sha256": sha256, "size": size}
    return files


def database_is_empty(connection) -> list[str]:
    """The tables that hold records (empty list: the database may be restored into)."""
    counts = table_counts(connection)
    return [table for table, n in counts.items() if n and table not in SELF_FILLED_TABLES]


def migration_state(connection) -> dict[str, str]:
    """The latest applied migration of each app."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    latest = {}
    for app, name in recorder.migration_qs.order_by("id").values_list("app", "name"):
        latest[app] = name
    return latest


# --- the database dump -------------------------------------------------------------------------


def _pg_environment(connection) -> tuple[list[str], dict]:
    """pg_dump's and pg_restore's connection arguments; the password goes in the environment,
    never on a command line that `ps` shows."""
    params = connection.settings_dict
    args = []
    if params.get("HOST"):
        args += ["--host", params["HOST"]]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", params["USER"]]
    args += ["--dbname", params["NAME"]]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def _dump_postgresql(connection, target: Path) -> dict[str, int]:
    """pg_dump in the snapshot of a transaction that also counts the rows, so that the counts
    describe exactly what the dump holds, whatever volunteers write meanwhile."""
    args, env = _pg_environment(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        if shutil.which("pg_dump") is None:
            raise BackupError(MISSING_CLIENT)
        completed = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if completed.returncode:
            raise BackupError(f"pg_dump failed: {completed.stderr.strip()}")
        return table_counts(connection)


def _dump_sqlite(connection, target: Path) -> dict[str, int]:
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    return _sqlite_counts(target)


def dump_database(target_folder: Path, using: str = DEFAULT_DB_ALIAS) -> tuple[str, dict]:
    connection = connections[using]
    if connection.vendor == "postgresql":
        name = "database.dump"
        counts = _dump_postgresql(connection, target_folder / name)
    elif connection.vendor == "sqlite":
        name = "database.sqlite3"
        counts = _dump_sqlite(connection, target_folder / name)
    else:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return name, counts


# --- writing and reading the encrypted tar stream -------------------------------------------------


def _pump(
    produce: Callable[[io.BufferedWriter], None], consume: Callable[[io.BufferedReader], None]
):
    """Runs `produce` (writing) in a thread and `consume` (reading) here, joined by a pipe, so
    that no unencrypted tar of the whole archive is ever written to disk."""
    read_end, write_end = os.pipe()
    failure: list[BaseException] = []

    def producer():
        try:
            with os.fdopen(write_end, "wb") as writer:
                produce(writer)
        except BaseException as error:  # re-raised below, in the calling thread
            failure.append(error)

    thread = threading.Thread(target=producer, daemon=True)
    thread.start()
    consumer_error = None
    try:
        with os.fdopen(read_end, "rb") as reader:
            consume(reader)
            # The tar reader stops at the end-of-archive blocks; the padding after them must
            # still be read, or the writer would fail on a closed pipe.
            while reader.read(CHUNK):
                pass
    except BaseException as error:
        consumer_error = error
    finally:
        thread.join()
    # Whichever side failed first tells why: a closed pipe is only the other side's echo.
    produced_error = failure[0] if failure else None
    if isinstance(consumer_error, BackupError):
        raise consumer_error
    if produced_error is not None and not isinstance(produced_error, BrokenPipeError):
        raise produced_error
    if consumer_error is not None:
        raise consumer_error
    if produced_error is not None:
        raise produced_error


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _add_handle(archive: tarfile.TarFile, name: str, handle, size: int):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(time.time())
    info.mode = 0o600
    archive.addfile(info, handle)


def backup(output_folder: Path, *, using: str = DEFAULT_DB_ALIAS) -> tuple[Path, dict]:
    """Write an encrypted archive into `output_folder`; returns its path and its manifest."""
    keys = recipients()
    output_folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = output_folder / f"casetracker-{stamp}.tar.age"
    connection = connections[using]
    with tempfile.TemporaryDirectory(prefix="casetracker-backup-") as work:
        work = Path(work)
        dump_name, counts = dump_database(work, using)
        with (work / dump_name).open("rb") as handle:
            dump_sha256, dump_size = file_digest(handle)
        files = media_files()
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {
                "vendor": connection.vendor,
                "file": dump_name,
                "sha256": dump_sha256,
                "size": dump_size,
                "migrations": migration_state(connection),
            },
            "tables": counts,
            "media": files,
        }

        def produce(writer):
            with tarfile.open(fileobj=writer, mode="w|") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
                with (work / dump_name).open("rb") as handle:
                    _add_handle(archive, dump_name, handle, dump_size)
                for name, entry in files.items():
                    with default_storage.open(name, "rb") as handle:
                        _add_handle(archive, MEDIA_PREFIX + name, handle, entry["size"])

        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out:
                _pump(produce, lambda reader: pyrage.encrypt_io(reader, out, keys))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return target, manifest


def _restore_postgresql(connection, member_handle):
    args, env = _pg_environment(connection)
    if shutil.which("pg_restore") is None:
        raise BackupError(MISSING_CLIENT)
    connection.close()
    process = subprocess.Popen(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    digest = hashlib.sha256()
    try:
        for chunk in iter(lambda: member_handle.read(CHUNK), b""):
            digest.update(chunk)
            process.stdin.write(chunk)
        process.stdin.close()
    except BrokenPipeError:
        pass
    errors = process.stderr.read().decode(errors="replace")
    if process.wait():
        raise BackupError(f"pg_restore failed: {errors.strip()}")
    return digest.hexdigest()


def _restore_sqlite(connection, member_handle, work: Path):
    copy = work / "database.sqlite3"
    digest = hashlib.sha256()
    with copy.open("wb") as out:
        for chunk in iter(lambda: member_handle.read(CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
    connection.ensure_connection()
    with sqlite3.connect(copy) as source:
        source.backup(connection.connection)
    copy.unlink()
    return digest.hexdigest()


def restore(
    archive_path: Path,
    *,
    identity_file: str | None = None,
    using: str = DEFAULT_DB_ALIAS,
    report: Callable[[str], None] = lambda message: None,
) -> RestoreReport:
    """Restore an archive into an empty database and an empty media storage, then check every
    count and every file against its manifest."""
    keys = identities(identity_file)
    connection = connections[using]
    started = time.monotonic()
    busy = database_is_empty(connection)
    if busy:
        raise BackupError(
            "The database is not empty (records in: "
            + ", ".join(busy[:8])
            + (", …" if len(busy) > 8 else "")
            + "). Restore into a new, empty database."
        )
    if next(media_names(), None) is not None:
        raise BackupError(
            "The media storage already holds files. Restore into an empty MEDIA_ROOT."
        )
    result = RestoreReport(manifest={})
    restored_files: dict[str, str] = {}

    def consume(reader):
        with (
            tarfile.open(fileobj=reader, mode="r|") as archive,
            tempfile.TemporaryDirectory(prefix="casetracker-restore-") as work,
        ):
            for member in archive:
                if not member.isfile():
                    raise BackupError(f"Unexpected entry in the archive: {member.name}")
                handle = archive.extractfile(member)
                if member.name == MANIFEST:
                    result.manifest = json.loads(handle.read())
                    if result.manifest.get("format") != FORMAT_VERSION:
                        raise BackupError("This archive was written by another version.")
                    vendor = result.manifest["database"]["vendor"]
                    if vendor != connection.vendor:
                        raise BackupError(
                            f"This archive holds a {vendor} database; the settings name "
                            f"{connection.vendor}."
                        )
                    continue
                if not result.manifest:
                    raise BackupError("The archive does not start with its manifest.")
                if member.name == result.manifest["database"]["file"]:
                    report("Restoring the database…")
                    if connection.vendor == "postgresql":
                        digest = _restore_postgresql(connection, handle)
                    else:
                        digest = _restore_sqlite(connection, handle, Path(work))
                    if digest != result.manifest["database"]["sha256"]:
                        result.mismatches.append("the database dump's SHA-256 differs")
                elif member.name.startswith(MEDIA_PREFIX):
                    name = member.name[len(MEDIA_PREFIX) :]
                    if name not in result.manifest["media"] or ".." in Path(name).parts:
                        raise BackupError(f"A file not in the manifest: {member.name}")
                    saved = default_storage.save(name, File(handle, name=name))
                    if saved != name:
                        raise BackupError(f"Could not restore {name} under its own name.")
                    restored_files[name] = saved
                else:
                    raise BackupError(f"Unexpected entry in the archive: {member.name}")

    def decrypt(writer):
        # age authenticates every 64 KiB, so nothing damaged is ever restored; but a damage
        # found halfway stops a restore that has begun.
        try:
            pyrage.decrypt_io(encrypted, writer, keys)
        except pyrage.DecryptError as error:
            raise BackupError(
                "This key does not open the archive (or it is not an archive of casetracker)."
            ) from error
        except OSError as error:
            if isinstance(error, BrokenPipeError):
                raise
            raise BackupError(
                "The archive is damaged: it cannot be decrypted to its end. Empty the database "
                "and the media folder again before restoring another archive."
            ) from error

    try:
        with archive_path.open("rb") as encrypted:
            _pump(decrypt, consume)
    except tarfile.TarError as error:
        raise BackupError("The archive is damaged: its contents cannot be read.") from error

    report("Checking every count and every file against the manifest…")
    result.mismatches += compare(result.manifest, using=using)
    result.seconds = time.monotonic() - started
    return result


def compare(manifest: dict, *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """How the database and the storage differ from the manifest (empty: they match)."""
    mismatches = []
    counts = table_counts(connections[using])
    for table, expected in manifest["tables"].items():
        found = counts.get(table)
        if found != expected:
            mismatches.append(f"table {table}: {found} rows, the manifest says {expected}")
    files = media_files()
    for name, entry in manifest["media"].items():
        found = files.get(name)
        if found is None:
            mismatches.append(f"file {name} is missing")
        elif found["sha256"] != entry["sha256"]:
            mismatches.append(f"file {name} differs from the manifest's SHA-256")
    for name in files.keys() - manifest["media"].keys():
        mismatches.append(f"file {name} is not in the manifest")
    return mismatches
