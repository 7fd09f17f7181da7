"""Benchmarks for `manage.py benchmark`: each returns the lines it reports."""

import time

from django.core.management import call_command

from cases.models import Case, PersonName

BENCHMARKS = {}


def benchmark(name):
    def register(function):
        BENCHMARKS[name] = function
        return function

    return register


@benchmark("seed")
def seed(*, cases, seed, **options):
    """seed_demo at scale (the foundation's target: 100,000 cases in under 3 minutes)."""
    started = time.monotonic()
    call_command("seed_demo", cases=cases, seed=seed, verbosity=0)
    elapsed = time.monotonic() - started
    return [
        f"seed_demo --cases {cases}: {elapsed:.1f} s ({cases / elapsed:,.0f} cases/s)",
        f"now in the database: {Case.objects.count():,} cases, "
        f"{PersonName.objects.count():,} names",
    ]
