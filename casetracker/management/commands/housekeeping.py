"""manage.py housekeeping: expired sessions, stale previewed imports, old jobs, orphaned files."""

from django.core.management.base import BaseCommand

from casetracker.housekeeping import tidy


class Command(BaseCommand):
    help = (
        "Delete expired sessions, previewed imports older than a day, finished background jobs "
        "older than --job-days, and (with --delete-orphans) media files no row refers to."
    )

    def add_arguments(self, parser):
        parser.add_argument("--job-days", type=int, default=30)
        parser.add_argument(
            "--delete-orphans",
            action="store_true",
            help="delete media files that no row or history row refers to (default: count them)",
        )

    def handle(self, *args, job_days, delete_orphans, **options):
        for what, count in tidy(job_days=job_days, delete_orphans=delete_orphans).items():
            self.stdout.write(f"{what}: {count}")
