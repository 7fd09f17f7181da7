"""manage.py export_static_site --output DIR: the public site as plain files, for any static
host (cases.public.mirror)."""

import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.public.mirror import export_static_site
from orgs.audit import record
from orgs.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Write every public page in every language, with its static files, public photos and "
        "files and the open data, as plain files with relative links."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="an empty folder")
        parser.add_argument(
            "--language",
            action="append",
            dest="languages",
            choices=[code for code, _name in settings.LANGUAGES],
            help="only this language (repeat for several; default: every language)",
        )

    def handle(self, *args, output, languages, **options):
        started = time.monotonic()
        # One log line per page visited would bury the log; the summary below says enough.
        request_log = logging.getLogger("casetracker.requests")
        level = request_log.level
        request_log.setLevel(logging.WARNING)
        try:
            result = export_static_site(output, languages=languages, report=self.stdout.write)
        except FileExistsError as error:
            raise CommandError(f"{error} Choose a new or empty folder.") from error
        finally:
            request_log.setLevel(level)
        record(
            AuditEvent.Kind.EXPORT,
            username="manage.py export_static_site",
            target="static mirror",
            details={"pages": result.pages, "files": result.files},
        )
        self.stdout.write(
            f"Wrote {result.pages} pages and {result.files} files to {output} in "
            f"{time.monotonic() - started:.0f} s."
        )
