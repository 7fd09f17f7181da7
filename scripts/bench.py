"""casetracker's public site against Datasette on the same public rows, side by side.

Run through `python3 dev.py bench` (it installs the `bench` extra). Seeds BENCH_CASES (100,000)
demo cases into BENCH_DATABASE_URL (PostgreSQL) unless cases are there already, copies the public
entries into SQLite for Datasette, serves each with one process on loopback, runs the same load
at concurrency 8 alternately, and prints one table with the staff export's rows/s, then soaks
the server: 16 clients mixing every public page with admin saves while an import runs, for
--soak seconds (600 by default), and reports errors and the server process's memory.
Figures only: nothing here is a test.

    python3 dev.py bench                 # the table, then a 10-minute soak
    python3 dev.py bench --soak 60       # a shorter soak, for a trial
    python3 dev.py bench --soak 0        # no soak
"""

import argparse
import base64
import csv
import hashlib
import html.parser
import http.client
import io
import os
import random
import re
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_bench")
CASES = int(os.environ.get("BENCH_CASES", "100000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
CASETRACKER_PORT, DATASETTE_PORT = 8711, 8712
# Documents whose first and last words are searched for.
SEARCH_NAMES = int(os.environ.get("BENCH_SEARCH_NAMES", "2000"))


def server_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        # The same key on every run, so that a second run reads the contacts the first seeded
        # (invented data only).
        "FIELD_ENCRYPTION_KEYS": os.environ.get("FIELD_ENCRYPTION_KEYS")
        or base64.urlsafe_b64encode(
            hashlib.sha256(b"casetracker bench, demo data").digest()
        ).decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
    }


def create_database() -> None:
    """BENCH_DATABASE_URL's database, created on the same server when it is not there yet (a
    fresh machine has only `postgres`)."""
    import psycopg2
    from psycopg2 import sql

    url = urllib.parse.urlsplit(DATABASE_URL)
    name = urllib.parse.unquote(url.path.lstrip("/"))
    server = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    connection = psycopg2.connect(server)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"+ CREATE DATABASE {name}", flush=True)
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


def manage(*arguments: str, environment: dict[str, str]) -> None:
    print("+ manage.py", " ".join(arguments), flush=True)
    subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True)


def copy_to_sqlite(environment: dict[str, str], path: Path) -> list[int]:
    """The public entries as Datasette will serve them: the open-data columns and the search
    document, from the same rows that casetracker serves."""
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casetracker.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from cases.models import PublicEntry
    from cases.public.opendata import OPEN_DATA_COLUMNS, csv_values, open_data_records

    columns = [name for name, _help in OPEN_DATA_COLUMNS]
    database = sqlite3.connect(path)
    quoted = ", ".join(f'"{name}"' for name in columns)
    database.execute(f"CREATE TABLE cases ({quoted}, search_document TEXT)")
    documents = dict(PublicEntry.objects.values_list("entry_number", "search_document"))
    placeholders = ", ".join("?" for _ in range(len(columns) + 1))
    rows = (
        [*csv_values(record), documents.get(record["entry_number"], "")]
        for record in open_data_records(PublicEntry.objects.all(), "http://127.0.0.1")
    )
    database.executemany(f"INSERT INTO cases VALUES ({placeholders})", rows)
    database.execute('CREATE UNIQUE INDEX cases_entry ON cases ("entry_number")')
    for column in ("status", "ethnicity"):
        database.execute(f'CREATE INDEX cases_{column} ON cases ("{column}", "entry_number")')
    database.commit()
    database.close()
    # Fresh planner statistics and visibility maps after the seed, as autovacuum would give them
    # in a while: a plan made on an empty table's statistics, or an index-only scan that must
    # visit every heap page of freshly written tables, is not what production runs.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return sorted(documents)


def wait_for(port: int, path: str) -> None:
    for _attempt in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Nothing answers on port {port}.")


def _p95(timings: list[float]) -> float:
    """The 95th percentile of sorted timings (0 for none)."""
    return timings[int(len(timings) * 0.95) - 1] if timings else 0


def load(port: int, paths: list[str], seconds: float) -> tuple[float, float, float, int, int, int]:
    """CONCURRENCY keep-alive clients over the paths for `seconds`: req/s, p50, p95, errors,
    bytes, and how many different paths were asked for (each one's first visit is a cache
    miss)."""
    latencies: list[float] = []
    asked: set[str] = set()
    errors = [0]
    received = [0]
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        chooser = random.Random(index)
        while time.monotonic() < deadline:
            path = chooser.choice(paths)
            started = time.monotonic()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                size = len(response.read())
                ok = response.status == 200
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                ok, size = False, 0
            elapsed = time.monotonic() - started
            with lock:
                asked.add(path)
                latencies.append(elapsed)
                received[0] += size
                errors[0] += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    latencies.sort()
    p50 = statistics.median(latencies) if latencies else 0
    p95 = _p95(latencies)
    return len(latencies) / wall, p50, p95, errors[0], received[0], len(asked)


def worker_rss_mb(master: subprocess.Popen) -> float:
    """Resident memory of gunicorn's worker (the process that serves), in MB."""
    children = subprocess.run(
        ["pgrep", "-P", str(master.pid)], capture_output=True, text=True, check=False
    ).stdout.split()
    total = 0
    for pid in children or [str(master.pid)]:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(match.group(1)) if match else 0
    return total / 1024


def staff_export_rates() -> list[tuple[str, int, float]]:
    """The staff CSV export over every case, as its view streams it: rows/s for the default
    columns and for every column."""
    from cases.models import Case
    from cases.staff.exports import COLUMNS, DEFAULT_COLUMNS, columns_for, csv_stream

    queryset = Case.objects.all()
    count = queryset.count()
    rates = []
    for label, keys in (
        ("default columns", DEFAULT_COLUMNS),
        ("every column", [c.key for c in COLUMNS]),
    ):
        started = time.monotonic()
        pieces = list(csv_stream(queryset, columns_for(keys)))
        rates.append((label, count, count / (time.monotonic() - started)))
        # Every case, once (a cell may hold a line break: the csv module reads it back).
        assert sum(1 for _row in csv.reader(io.StringIO("".join(pieces)))) == count + 1
    return rates


class _Form(html.parser.HTMLParser):
    """The fields of the admin's change form as a browser would submit it unchanged."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.inside = False
        self.select: str | None = None
        self.chosen, self.multiple = False, False
        self.first: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            value = a.get("value")
            if value is None:
                value = "on" if a.get("type") in ("checkbox", "radio") else ""
            self.fields.append((name, value))
        elif tag == "select" and name:
            self.select, self.chosen, self.first = name, False, None
            self.multiple = "multiple" in a
        elif tag == "option" and self.select:
            if self.first is None:
                self.first = a.get("value", "")
            if "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
                self.chosen = True
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            # A browser sends a single select's first option when none is marked.
            if not self.chosen and not self.multiple and self.first is not None:
                self.fields.append((self.select, self.first))
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def admin_session() -> tuple[str, list[int]]:
    """A signed-in volunteer of the largest group (second factor passed) and that group's
    cases: the session cookie header and case keys for the soak's admin saves."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.models import Case
    from orgs.models import Membership, Organization, User

    largest = Organization.objects.annotate(n=Count("cases")).order_by("-n").first()
    user, _created = User.objects.get_or_create(
        username="bench-volunteer", defaults={"is_staff": True}
    )
    Membership.objects.get_or_create(user=user, organization=largest)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that signs people in (the first one only locks out).
    store[BACKEND_SESSION_KEY] = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.save()
    cases = list(
        Case.objects.filter(organization=largest)
        .order_by("-entry_number")
        .values_list("pk", flat=True)[:200]
    )
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}", cases


def admin_timings(cookie: str, cases: list[int], repeat: int = 20) -> list[tuple[str, ...]]:
    """The admin as a volunteer of the largest group, one request at a time (a volunteer's own
    page views, not a crowd): p50 and p95 of each page against its target."""
    connection = http.client.HTTPConnection("127.0.0.1", CASETRACKER_PORT, timeout=120)
    pages = [
        ("admin case list", "/admin/cases/case/", 100),
        ("admin case list, filtered by status", "/admin/cases/case/?status__exact=camp", 100),
        ("admin case list, page 20", "/admin/cases/case/?p=20", 100),
        ("admin case page", [f"/admin/cases/case/{pk}/change/" for pk in cases], 100),
        ("admin people list", "/admin/cases/person/", 150),
    ]
    rows = []
    for title, paths, target in pages:
        paths = [paths] if isinstance(paths, str) else paths
        timings = []
        for n in range(repeat + 1):
            started = time.monotonic()
            connection.request("GET", paths[n % len(paths)], headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            assert response.status == 200, (title, response.status)
            if n:  # the first one warms the worker
                timings.append(time.monotonic() - started)
        timings.sort()
        p95 = _p95(timings)
        rows.append(
            (
                f"{title} (p95 target {target} ms)",
                f"{1 / statistics.mean(timings):,.1f}",
                f"{statistics.median(timings) * 1000:.0f} ms",
                f"{p95 * 1000:.0f} ms",
                *("",) * 4,
            )
        )
    connection.close()
    return rows


def admin_save(connection: http.client.HTTPConnection, cookie: str, pk: int) -> bool:
    """Open a case's change page and save it as it stands, as a volunteer would: True when the
    admin accepts it (a redirect)."""
    path = f"/admin/cases/case/{pk}/change/"
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    if response.status != 200:
        return False
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    form = _Form()
    form.feed(page)
    fields = form.fields
    token = csrf.group(1) if csrf else ""
    body = urllib.parse.urlencode([*fields, ("_save", "Save")])
    connection.request(
        "POST",
        path,
        body=body,
        headers={
            "Cookie": f"{cookie}; csrftoken={token}" if token else cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{CASETRACKER_PORT}{path}",
        },
    )
    response = connection.getresponse()
    response.read()
    return response.status == 302


def run_import(rows: int, results: dict) -> None:
    """An import of `rows` invented cases (dry run, then the import), as the import page runs
    it, in this process while the soak loads the server."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from cases.imports.plan import dry_run
    from cases.imports.reading import read_table
    from cases.imports.writing import import_cases
    from cases.management.benchmarks import import_sheet
    from orgs.models import Organization, User

    started = time.monotonic()
    try:
        organization = Organization.objects.order_by("pk").first()
        user, _created = User.objects.get_or_create(
            username="bench-importer", defaults={"is_staff": True, "is_site_staff": True}
        )
        content = import_sheet(rows, seed=int(time.time()))
        plan = dry_run(
            read_table(SimpleUploadedFile("bench.csv", content)),
            organization=organization,
            user=user,
        )
        results["created"] = import_cases(plan, user=user).created
    except Exception as error:  # reported as an error of the soak
        results["error"] = repr(error)
    finally:
        connection.close()
    results["seconds"] = time.monotonic() - started


def soak(gunicorn, public_paths: list[str], seconds: float) -> list[str]:
    """16 clients for `seconds`: 14 read public pages at random, 2 save cases in the admin,
    while one import runs. Errors are any answer but 200 (302 for a save), or none."""
    cookie, cases = admin_session()
    counts: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    rss_start = worker_rss_mb(gunicorn)

    def reader(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", CASETRACKER_PORT, timeout=120)
        chooser = random.Random(100 + index)
        while time.monotonic() < deadline:
            path = chooser.choice(public_paths)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", CASETRACKER_PORT, timeout=120)
                ok = False
            with lock:
                counts["public"] += 1
                if not ok:
                    errors[path] += 1

    def editor(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", CASETRACKER_PORT, timeout=120)
        chooser = random.Random(200 + index)
        # Each editor its own cases: two people saving one case at once is refused by design
        # (the admin's concurrency check), which is not what the soak measures.
        mine = cases[index::2]
        while time.monotonic() < deadline:
            pk = chooser.choice(mine)
            try:
                ok = admin_save(connection, cookie, pk)
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", CASETRACKER_PORT, timeout=120)
                ok = False
            with lock:
                counts["admin save"] += 1
                if not ok:
                    errors[f"admin save of case {pk}"] += 1

    imported: dict = {}
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(14)]
    threads += [threading.Thread(target=editor, args=(n,)) for n in range(2)]
    threads.append(threading.Thread(target=run_import, args=(1000, imported)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    rss_end = worker_rss_mb(gunicorn)
    if "error" in imported:
        errors[f"import: {imported['error']}"] += 1
    lines = [
        f"soak: {wall:.0f} s at concurrency 16: {counts['public']:,} public pages "
        f"({counts['public'] / wall:,.1f}/s), {counts['admin save']:,} admin saves, an import "
        f"of {imported.get('created', 0):,} cases in {imported.get('seconds', 0):.0f} s; "
        f"errors: {sum(errors.values())}",
        f"soak: server worker memory {rss_start:.0f} MB at the start, {rss_end:.0f} MB at the end",
    ]
    lines += [f"  error: {what} x{n}" for what, n in errors.most_common(10)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--soak", type=float, default=600, help="Seconds of the soak (0: none; default 600)."
    )
    options = parser.parse_args()
    environment = server_environment()
    create_database()
    manage("migrate", "--noinput", environment=environment)
    manage(
        "seed_demo",
        "--if-empty",
        "--cases",
        str(CASES),
        environment={**environment, "DEBUG": "true"},
    )
    scratch = Path(tempfile.mkdtemp(prefix="ct-bench-"))
    # DEBUG off serves hashed static files from a manifest: collected once into the scratch folder.
    environment["STATIC_ROOT"] = str(scratch / "static")
    manage("collectstatic", "--noinput", "--verbosity", "0", environment=environment)
    sqlite_path = scratch / "bench.db"
    numbers = copy_to_sqlite(environment, sqlite_path)
    print(f"{len(numbers):,} public entries copied to {sqlite_path}", flush=True)
    # A new version of the public record for the page cache: pages that an earlier run left in
    # Redis are not served, so that every address's first request in this run is a miss.
    from cases.public.pagecache import bump_public_version

    bump_public_version()
    from cases.models import PublicEntry

    # Full names as a reader types them, in Latin, Cyrillic and Chinese script in turn (each
    # entry's name in that script), from enough entries that most searches are the first of
    # their name (cache misses). Datasette gets the same name as casetracker's search key folds
    # it (the spelling its search documents hold), so that both look for the same thing.
    from cases.names import search_key

    searches: dict[str, str] = {}
    scripts = ["latn", "cyrl", "hani"]
    for n, content in enumerate(
        PublicEntry.objects.exclude(search_document="")
        .order_by("?")
        .values_list("content", flat=True)[:SEARCH_NAMES]
    ):
        by_script = {name["script"]: name["value"] for name in (content or {}).get("names", [])}
        name = by_script.get(scripts[n % len(scripts)]) or by_script.get("latn")
        if name and search_key(name):
            searches[name] = search_key(name)
    chooser = random.Random(1)
    sample = chooser.sample(numbers, min(300, len(numbers)))
    deep = sorted(numbers, reverse=True)[min(700 * 50, len(numbers) - 1)]
    quote = urllib.parse.quote
    scenarios = [
        ("case list, first page (50 rows)", ["/cases/?per_page=50"], ["/bench/cases?_size=50"]),
        (
            "filtered by status and ethnicity",
            ["/cases/?status=camp&ethnicity=uyghur&per_page=50"],
            ["/bench/cases?status=camp&ethnicity=uyghur&_size=50"],
        ),
        (
            "deep page (~700 x 50)",
            [f"/cases/?per_page=50&after={deep}"],
            [f"/bench/cases?_size=50&_sort_desc=entry_number&entry_number__lt={deep}"],
        ),
        (
            f"name search over {len(searches):,} names",
            [f"/cases/?q={quote(name)}" for name in searches],
            [
                f"/bench/cases?search_document__contains={quote(key)}&_size=50"
                for key in searches.values()
            ],
        ),
        (
            f"case pages over {len(sample)} entries",
            [f"/cases/{number}/" for number in sample],
            [f"/bench/cases?entry_number={number}" for number in sample],
        ),
        ("open-data CSV (rows/s)", ["/cases/open-data.csv"], ["/bench/cases.csv?_stream=on"]),
    ]
    server_log = (scratch / "casetracker.log").open("w")
    print(f"casetracker's log: {scratch / 'casetracker.log'}", flush=True)
    gunicorn = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "casetracker.wsgi",
            "--bind",
            f"127.0.0.1:{CASETRACKER_PORT}",
            "--workers",
            "1",
            "--threads",
            str(CONCURRENCY),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
        # Its log line per request (as in production) goes to a file, not into the table.
        stdout=server_log,
        stderr=server_log,
    )
    datasette = subprocess.Popen(
        [
            str(BIN / "datasette"),
            "serve",
            str(sqlite_path),
            "--port",
            str(DATASETTE_PORT),
            "--setting",
            "sql_time_limit_ms",
            "60000",
            "--setting",
            "max_csv_mb",
            "0",
            # Facet suggestions (a count per column on every table page) cost Datasette about a
            # second a page at 73,000 rows; a journalist serving a table turns them off, and the
            # issue's Datasette figures were measured without them.
            "--setting",
            "suggest_facets",
            "off",
        ],
        cwd=scratch,
        # Its access log line per request would fill the table's output.
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(CASETRACKER_PORT, "/cases/")
        wait_for(DATASETTE_PORT, "/bench/cases?_size=1")
        rss_start = worker_rss_mb(gunicorn)
        rows = [
            ("page", "casetracker req/s", "p50", "p95", "Datasette req/s", "p50", "p95", "ratio")
        ]
        notes = []
        for title, ours, theirs in scenarios:
            mine = load(CASETRACKER_PORT, ours, SECONDS)
            other = load(DATASETTE_PORT, theirs, SECONDS)
            if "CSV" in title:
                mine = (mine[0] * len(numbers), *mine[1:])
                other = (other[0] * len(numbers), *other[1:])
            ratio = mine[0] / other[0] if other[0] else float("nan")
            rows.append(
                (
                    title,
                    f"{mine[0]:,.1f}",
                    f"{mine[1] * 1000:.0f} ms",
                    f"{mine[2] * 1000:.0f} ms",
                    f"{other[0]:,.1f}",
                    f"{other[1] * 1000:.0f} ms",
                    f"{other[2] * 1000:.0f} ms",
                    f"{ratio:.2f}x",
                )
            )
            if len(ours) > 1:
                requests = round(mine[0] * SECONDS)
                notes.append(
                    f"{title}: casetracker answered about {requests:,} requests over {mine[5]:,} "
                    f"different addresses, so at least {mine[5] / max(requests, 1):.0%} were "
                    "cache misses"
                )
            if mine[3] or other[3]:
                print(f"  {title}: errors casetracker {mine[3]}, Datasette {other[3]}")
        rss_table = worker_rss_mb(gunicorn)
        cookie, cases = admin_session()
        rows.extend(admin_timings(cookie, cases[:50]))
        for label, count, rate in staff_export_rates():
            rows.append(
                (f"staff CSV export, {label} ({count:,} cases, rows/s)", f"{rate:,.0f}") + ("",) * 6
            )
        print()
        print("| " + " | ".join(rows[0]) + " |")
        print("|" + "---|" * len(rows[0]))
        for row in rows[1:]:
            print("| " + " | ".join(row) + " |")
        print()
        for note in notes:
            print(note)
        print(
            f"\ncasetracker's worker: {rss_start:.0f} MB before the table, {rss_table:.0f} MB "
            "after it",
            flush=True,
        )
        datasette.terminate()
        datasette.wait()
        if options.soak > 0:
            from cases.models import PublicEntry
            from orgs.models import Organization

            public_paths = [
                "/",
                "/cases/",
                "/cases/?per_page=50",
                "/cases/?status=camp&ethnicity=uyghur&per_page=50",
                f"/cases/?per_page=50&after={deep}",
                "/cases/open-data.csv",
                "/cases/open-data.json?status=died",
                "/figures/",
                "/organizations/",
                "/countries/",
                "/open-data/",
                "/methodology/",
                "/feed/",
                *[
                    f"/organizations/{slug}/"
                    for slug in Organization.objects.values_list("slug", flat=True)
                    .filter(public_entries__isnull=False)
                    .distinct()[:20]
                ],
                *[f"/countries/{code}/" for code in ("KZ", "KG", "TR", "US", "DE")],
                *scenarios[3][1][:100],
                *scenarios[4][1][:100],
            ]
            assert PublicEntry.objects.exists()
            for line in soak(gunicorn, public_paths, options.soak):
                print(line, flush=True)
    finally:
        gunicorn.terminate()
        datasette.terminate()
        gunicorn.wait()
        datasette.wait()


if __name__ == "__main__":
    main()
