"""manage.py production_check: what this server lacks to run in production."""

from django.core.management.base import BaseCommand, CommandError

from casetracker.production import findings


class Command(BaseCommand):
    help = (
        "Report what a production server lacks: settings (key, HTTPS, proxy, PostgreSQL, shared "
        "cache, backup key), a running worker, and the health checks. Run also `manage.py check "
        "--deploy`."
    )

    def handle(self, *args, **options):
        problems = 0
        for finding in findings():
            if finding.ok:
                self.stdout.write(f"ok       {finding.what}")
            else:
                problems += 1
                self.stdout.write(f"MISSING  {finding.what}\n         {finding.hint}")
        if problems:
            raise CommandError(f"{problems} things to fix before this server is production-ready.")
        self.stdout.write("This server is ready for production.")
