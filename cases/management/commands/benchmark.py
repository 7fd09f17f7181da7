"""Performance figures come from here, never from timed tests.

    python manage.py benchmark seed --cases 100000     # seed_demo at scale
    python manage.py benchmark                         # every benchmark, on the data present

Each benchmark is a function registered in `cases.management.benchmarks` with @benchmark("name");
it gets the command's options and returns lines to print. Run against PostgreSQL by setting
DATABASE_URL.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cases.management.benchmarks import BENCHMARKS


class Command(BaseCommand):
    help = "Run the performance benchmarks and print their figures."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=f"Which to run: {', '.join(BENCHMARKS)}.")
        parser.add_argument("--cases", type=int, default=100_000, help="Scale for 'seed'.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, names, **options):
        unknown = set(names) - set(BENCHMARKS)
        if unknown:
            raise CommandError(f"Unknown benchmark: {', '.join(sorted(unknown))}.")
        self.stdout.write(f"database: {connection.vendor}")
        for name in names or [n for n in BENCHMARKS if n != "seed"]:
            self.stdout.write(f"== {name}")
            for line in BENCHMARKS[name](stdout=self.stdout, **options):
                self.stdout.write(f"   {line}")
