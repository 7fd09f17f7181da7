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


@benchmark("export")
def export(**options):
    """The staff CSV export over every case in the database (issue 5): time, and peak memory
    measured two ways: Python allocations (tracemalloc, a second pass, since tracing slows
    Python down) and the process's peak resident size."""
    import resource
    import tracemalloc

    from cases.exports import COLUMNS, DEFAULT_COLUMNS, columns_for, csv_stream

    lines = []
    queryset = Case.objects.all()
    count = queryset.count()
    for label, keys in (
        ("default columns", DEFAULT_COLUMNS),
        ("every column", [c.key for c in COLUMNS]),
    ):
        columns = columns_for(keys)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.monotonic()
        size = sum(len(line.encode()) for line in csv_stream(queryset, columns))
        elapsed = time.monotonic() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        for _line in csv_stream(queryset, columns):
            pass
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        lines.append(
            f"CSV, {label} ({len(columns)}): {count:,} cases, {size / 1e6:.1f} MB in "
            f"{elapsed:.1f} s ({count / elapsed:,.0f} rows/s); peak Python allocations "
            f"{peak / 1e6:.1f} MB; process peak RSS {rss_after / 1024:.0f} MB "
            f"(+{(rss_after - rss_before) / 1024:.0f} MB)"
        )
    return lines
