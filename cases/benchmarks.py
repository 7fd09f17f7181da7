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
