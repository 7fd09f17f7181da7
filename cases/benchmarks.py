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
    """The staff CSV export over every case in the database (issue 5), as the view streams it.

    Time and the process's peak resident size for the default and for every column, then the
    peak of Python allocations (tracemalloc, in a pass of its own since tracing slows Python).
    """
    import resource
    import tracemalloc

    from cases.exports import COLUMNS, DEFAULT_COLUMNS, columns_for, csv_stream

    def peak_rss_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    queryset = Case.objects.all()
    count = queryset.count()
    lines = [f"start: process peak RSS {peak_rss_mb():.0f} MB"]
    for label, keys in (
        ("default columns", DEFAULT_COLUMNS),
        ("every column", [c.key for c in COLUMNS]),
    ):
        columns = columns_for(keys)
        started = time.monotonic()
        size = sum(len(line.encode()) for line in csv_stream(queryset, columns))
        elapsed = time.monotonic() - started
        lines.append(
            f"CSV, {label} ({len(columns)}): {count:,} cases, {size / 1e6:.1f} MB in "
            f"{elapsed:.1f} s ({count / elapsed:,.0f} rows/s); process peak RSS "
            f"{peak_rss_mb():.0f} MB"
        )
    # Constant memory: the peak is the same for a tenth of the cases as for all of them.
    for subset in (queryset.filter(pk__in=queryset.order_by("pk")[: count // 10]), queryset):
        tracemalloc.start()
        rows = sum(1 for _line in csv_stream(subset, columns_for(DEFAULT_COLUMNS))) - 1
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        lines.append(
            f"CSV, default columns, {rows:,} cases: peak Python allocations "
            f"{peak / 1e6:.1f} MB (tracemalloc)"
        )
    return lines
