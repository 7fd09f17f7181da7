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


@benchmark("public")
def public_pages(**options):
    """The public pages on the data present: median time and SQL queries of each request.

    Run after `seed_demo --cases 100000`. The first request of a page fills the cached figures;
    "cold" rows show that cost, the others the usual visit with the cache warm.
    """
    import statistics

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cases.figures import forget_figures
    from cases.search import search_key

    client = Client(HTTP_HOST="localhost")
    public = Case.objects.public()
    case = public.order_by("entry_number").first()
    if case is None:
        return ["no public case: run seed_demo first"]
    name = PersonName.objects.filter(person=case.person, script="latn").first()
    cyrillic = PersonName.objects.filter(person=case.person, script="cyrl").first()
    given = name.value.split()[0] if name else "Gulnar"

    def measure(label, url, repeat=5, cold=False):
        timings, queries = [], 0
        for _n in range(repeat):
            if cold:
                forget_figures()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
            assert response.status_code == 200, (url, response.status_code)
        return f"{label:<44} {statistics.median(timings):8.1f} ms  {queries:2d} queries  {url}"

    cache.clear()
    lines = [f"{public.count():,} public cases of {Case.objects.count():,}"]
    lines.append(measure("figures, cold cache (all aggregates)", "/figures/", repeat=3, cold=True))
    lines += [
        measure("home", "/"),
        measure("list, unfiltered", "/cases/"),
        measure("list, 100 per page", "/cases/?per_page=100"),
        measure("list, page 500", "/cases/?page=500"),
        measure("list, status + ethnicity", "/cases/?status=camp&ethnicity=kazakh"),
        measure(
            "list, citizenship + relatives' country",
            "/cases/?citizenship=KZ&relatives_country=KZ&per_page=50",
        ),
        measure(
            "list, every filter",
            "/cases/?status=camp&status=imprisoned&ethnicity=kazakh&gender=male&citizenship=KZ"
            "&relatives_country=KZ&organization=atajurt&prefecture=ili&detained_from=2017"
            "&detained_to=2019&evidence_level=2&evidence_level=3&sort=-updated",
        ),
        measure("list, sorted by detention year", "/cases/?sort=-detained&per_page=100"),
        measure(f"search, Latin given name ({search_key(given)})", f"/cases/?q={given}"),
        measure("search, full Latin name", f"/cases/?q={name.value if name else given}"),
        measure(
            "search, Cyrillic name",
            f"/cases/?q={cyrillic.value if cyrillic else 'Сауытбай'}",
        ),
        measure("search, misspelt (Sawytbay)", "/cases/?q=Sawytbay"),
        measure("search, entry number", f"/cases/?q=%23{case.entry_number}"),
        measure("case page", f"/cases/{case.entry_number}/"),
        measure("organization page", "/organizations/atajurt/"),
        measure("country page", "/countries/KZ/"),
        measure("open data CSV, one status", "/cases/open-data.csv?status=died", repeat=1),
        measure("open data CSV, every public case", "/cases/open-data.csv", repeat=1),
    ]
    return lines


@benchmark("admin")
def admin_changelist(**options):
    """The volunteers' case list in the admin, as site staff and as a volunteer of the
    largest group: time and SQL queries per page (needs seeded data)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from orgs.models import Membership, Organization, User

    staff, _ = User.objects.get_or_create(
        username="benchmark-staff", defaults={"is_staff": True, "is_site_staff": True}
    )
    largest = max(Organization.objects.all(), key=lambda org: org.cases.count())
    volunteer, _ = User.objects.get_or_create(
        username="benchmark-volunteer", defaults={"is_staff": True}
    )
    Membership.objects.get_or_create(user=volunteer, organization=largest)
    term = PersonName.objects.order_by("pk").values_list("value", flat=True).first() or "a"
    pages = [
        ("all cases", {}),
        ("filtered by status", {"status": "camp"}),
        ("filtered by year of detention", {"detention_year": "2018"}),
        ("name search", {"q": term}),
        ("page 20", {"p": "20"}),
    ]
    lines = []
    for who, user in [("site staff", staff), (f"volunteer of {largest}", volunteer)]:
        client = Client()
        client.force_login(user)
        for label, params in pages:
            started = time.monotonic()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/admin/cases/case/", params, HTTP_HOST="localhost")
            elapsed = (time.monotonic() - started) * 1000
            lines.append(
                f"{who}, {label}: HTTP {response.status_code}, {elapsed:.0f} ms, "
                f"{len(queries)} queries"
            )
        case = Case.objects.visible_to(user).order_by("-entry_number").first()
        for label, url in [
            ("people list", "/admin/cases/person/"),
            ("case page", f"/admin/cases/case/{case.pk}/change/"),
            ("case history", f"/admin/cases/case/{case.pk}/history/"),
        ]:
            started = time.monotonic()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, HTTP_HOST="localhost")
            elapsed = (time.monotonic() - started) * 1000
            lines.append(
                f"{who}, {label}: HTTP {response.status_code}, {elapsed:.0f} ms, "
                f"{len(queries)} queries"
            )
    return lines
