"""manage.py backup --output DIR: the database and the media files in one encrypted archive."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from casetracker.backups import BackupError, backup
from orgs.audit import record
from orgs.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Write the database and the media files into one archive encrypted to BACKUP_RECIPIENT, "
        "with a manifest of row counts and file hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="folder for the archive")

    def handle(self, *args, output, **options):
        started = time.monotonic()
        try:
            path, manifest = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        seconds = time.monotonic() - started
        rows = sum(manifest["tables"].values())
        # A backup holds everything: it is on record like any export (after the snapshot, so
        # the next backup holds this line).
        record(
            AuditEvent.Kind.EXPORT,
            username="manage.py backup",
            target="backup",
            details={"archive": path.name, "rows": rows, "files": len(manifest["media"])},
        )
        self.stdout.write(
            f"Wrote {path} ({filesizeformat(path.stat().st_size)}) in {seconds:.1f} s: "
            f"{len(manifest['tables'])} tables, {rows} rows, {len(manifest['media'])} files."
        )
