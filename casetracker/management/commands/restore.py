"""manage.py restore ARCHIVE: an archive of `manage.py backup` into an empty database and an
empty media folder, checked against its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casetracker.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database and media "
        "folder, then compare every row count and file hash with its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--identity-file",
            help="file holding the age private key (default: BACKUP_IDENTITY_FILE, or "
            "BACKUP_IDENTITY)",
        )

    def handle(self, *args, archive, identity_file, **options):
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        try:
            result = restore(archive, identity_file=identity_file, report=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        if result.mismatches:
            for line in result.mismatches:
                self.stderr.write(line)
            raise CommandError(
                f"The restore does not match the archive's manifest ({len(result.mismatches)} "
                "differences above)."
            )
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} in {result.seconds:.1f} s: "
            f"{len(manifest['tables'])} tables and {rows} rows, {len(manifest['media'])} files, "
            "every count and every file hash as in the manifest. Run `manage.py migrate` if "
            "this code is newer than the backup."
        )
