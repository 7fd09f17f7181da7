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


def import_sheet(rows, *, seed):
    """A CSV case list of `rows` invented rows in the template's documented shape."""
    import csv
    import io
    import random

    from cases import demo_names
    from cases.imports.columns import COLUMNS

    rng = random.Random(seed)
    male = demo_names.KAZAKH_MALE + demo_names.KYRGYZ_MALE
    female = demo_names.KAZAKH_FEMALE + demo_names.KYRGYZ_FEMALE
    statuses = ["в лагере", "осуждён", "пропал без вести", "освобождён", "неизвестно", "умер"]
    dates = ["2017", "2018 г.", "около 2019", "03.2018", "6.11.2019", "весна 2018", "2019-12-17"]
    places = ["Іле, Текес", "Іле, Құлжа", "Алтай, Көктоғай", "Тарбағатай, Шәуешек", "Үрімжі"]
    relatives = ["сын", "дочь", "жена", "муж", "брат", "сестра", "внук", "мать"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = {column.key: column.header for column in COLUMNS}
    keys = ["name", "other_names", "gender", "birth_date", "ethnicity", "hometown", "status",
            "detention_date", "facility", "relative_name", "relationship", "relative_phone",
            "source_url", "notes"]  # fmt: skip
    writer.writerow([header[key] for key in keys])
    for number in range(rows):
        female_row = rng.random() < 0.4
        given = rng.choice(female if female_row else male)
        family = rng.choice(male)
        relative = rng.choice(female + male)
        writer.writerow(
            [
                f"{family[0]}ова {given[0]}" if female_row else f"{family[0]}ов {given[0]}",
                f"{given[1]} {family[1]}",
                "ж" if female_row else "м",
                str(rng.randint(1940, 2000)),
                rng.choice(["казах", "кыргыз", "уйгур"]),
                rng.choice(places),
                rng.choice(statuses),
                rng.choice(dates),
                rng.choice(["", "", "Test Camp No. 1", "Test Prison No. 3"]),
                f"{family[0]} {relative[0]}",
                rng.choice(relatives),
                f"+7 701 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                rng.choice(["", f"https://example.org/report/{number}"]),
                rng.choice(["", "Invented benchmark row."]),
            ]
        )
    return buffer.getvalue().encode("utf-8")


@benchmark("import")
def import_spreadsheet(*, seed, **options):
    """A 10,000-row case list: dry run, then the import (target: under 60 s in all).

    The import is committed (with its deferred foreign-key checks), so each run adds 10,000
    invented cases to the benchmark database; run it there, never on real data.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.imports.plan import dry_run
    from cases.imports.reading import read_table
    from cases.imports.writing import import_cases
    from orgs.models import Country, Organization, User

    rows = 10_000
    content = import_sheet(rows, seed=seed)
    country, _created = Country.objects.get_or_create(code="KZ", defaults={"name": "Kazakhstan"})
    organization = Organization.objects.order_by("pk").first() or Organization.objects.create(
        name="Benchmark group", slug="benchmark-group", country=country
    )
    user, _created = User.objects.get_or_create(
        username="benchmark-importer", defaults={"is_staff": True, "is_site_staff": True}
    )
    started = time.monotonic()
    plan = dry_run(
        read_table(SimpleUploadedFile("benchmark.csv", content)),
        organization=organization,
        user=user,
    )
    checked = time.monotonic()
    result = import_cases(plan, user=user)
    written = time.monotonic()
    total = written - started
    return [
        f"dry run of {rows:,} rows ({len(content) / 1e6:.1f} MB): {checked - started:.1f} s "
        f"({plan.create_count:,} to create, {plan.fail_count} failing, "
        f"{len(plan.database_duplicates):,} + {len(plan.file_duplicates):,} likely duplicates)",
        f"import of {result.created:,} cases (committed): {written - checked:.1f} s",
        f"dry run + import: {total:.1f} s ({'within' if total < 60 else 'OVER'} the 60 s target);"
        f" now {Case.objects.count():,} cases in the database",
    ]
