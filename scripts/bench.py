"""casetracker's public site against Datasette on the same public rows, side by side.

Run through `python3 dev.py bench` (it installs the `bench` extra). Seeds BENCH_CASES (100,000)
demo cases into BENCH_DATABASE_URL (PostgreSQL) unless cases are there already, copies the public
entries into SQLite for Datasette, serves each with one process on loopback, runs the same load
at concurrency 8 alternately, and prints one table, then the staff export's rows/s.
Figures only: nothing here is a test.
"""

import base64
import hashlib
import http.client
import os
import random
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ct_bench")
CASES = int(os.environ.get("BENCH_CASES", "100000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
CASETRACKER_PORT, DATASETTE_PORT = 8711, 8712


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


def load(port: int, paths: list[str], seconds: float) -> tuple[float, float, float, int, int]:
    """CONCURRENCY keep-alive clients over the paths for `seconds`: req/s, p50, p95, errors,
    bytes."""
    latencies: list[float] = []
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
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else 0
    return len(latencies) / wall, p50, p95, errors[0], received[0]


def main() -> None:
    environment = server_environment()
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
    from cases.models import PublicEntry

    names = [
        document.split()[0]
        for document in PublicEntry.objects.exclude(search_document="")
        .order_by("?")
        .values_list("search_document", flat=True)[:300]
        if document.split()
    ]
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
            f"name search over {len(names)} names",
            [f"/cases/?q={quote(name)}" for name in names],
            [f"/bench/cases?search_document__contains={quote(name)}&_size=50" for name in names],
        ),
        (
            f"case pages over {len(sample)} entries",
            [f"/cases/{number}/" for number in sample],
            [f"/bench/cases?entry_number={number}" for number in sample],
        ),
        ("open-data CSV (rows/s)", ["/cases/open-data.csv"], ["/bench/cases.csv?_stream=on"]),
    ]
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
        ],
        cwd=scratch,
        # Its access log line per request would fill the table's output.
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(CASETRACKER_PORT, "/cases/")
        wait_for(DATASETTE_PORT, "/bench/cases?_size=1")
        rows = [
            ("page", "casetracker req/s", "p50", "p95", "Datasette req/s", "p50", "p95", "ratio")
        ]
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
            if mine[3] or other[3]:
                print(f"  {title}: errors casetracker {mine[3]}, Datasette {other[3]}")
        print()
        print("| " + " | ".join(rows[0]) + " |")
        print("|" + "---|" * len(rows[0]))
        for row in rows[1:]:
            print("| " + " | ".join(row) + " |")
        print(flush=True)
    finally:
        gunicorn.terminate()
        datasette.terminate()
        gunicorn.wait()
        datasette.wait()
    manage("benchmark", "export", environment=environment)


if __name__ == "__main__":
    main()
