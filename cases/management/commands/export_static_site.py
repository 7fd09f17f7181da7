"""manage.py export_static_site --output DIR: the public site as plain files, for any static
host (cases.public.mirror)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.public.mirror import export_static_site


class Command(BaseCommand):
    help = (
        "Write every public page in every language, with its static files, public photos and "
        "files and the open data, as plain files with relative links."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="an empty folder")

    def handle(self, *args, output, **options):
        started = time.monotonic()
        try:
            result = export_static_site(output, report=self.stdout.write)
        except FileExistsError as error:
            raise CommandError(f"{error} Choose a new or empty folder.") from error
        self.stdout.write(
            f"Wrote {result.pages} pages and {result.files} files to {output} in "
            f"{time.monotonic() - started:.0f} s."
        )
