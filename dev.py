#!/usr/bin/env python3
"""The two commands a newcomer runs, with nothing but Python 3.11+ on the machine.

    python3 dev.py run    # virtual environment, install, migrate, demo data, serve :8000
    python3 dev.py test   # virtual environment, install, the whole test suite
    python3 dev.py lock   # requirements.lock: pinned, hashed versions for production installs
    python3 dev.py bench  # 100,000 demo cases on PostgreSQL, served against Datasette
    python3 dev.py translations            # extract every marked string into locale/, compile
    python3 dev.py translations --compile  # only compile locale/*/LC_MESSAGES/*.po to .mo

The virtual environment lives in .venv (or $VENV). Installing is skipped while pyproject.toml is
unchanged since the last install. Extra arguments after `test` go to pytest.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*command, env=None):
    print("+", " ".join(str(c) for c in command), flush=True)
    completed = subprocess.run([str(c) for c in command], cwd=ROOT, env=env)
    if completed.returncode:
        sys.exit(completed.returncode)


def ensure_environment():
    if sys.version_info < (3, 11):  # noqa: UP036 -- dev.py runs on whatever python3 is there
        sys.exit("casetracker needs Python 3.11 or newer.")
    if not PYTHON.exists():
        print(f"Creating the virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".casetracker-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        stamp.write_text(wanted)


def serve():
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "true")}
    # One process: background jobs (imports) run inside the request unless a worker is started
    # (TASK_BACKEND=database and `manage.py run_worker`, as in production).
    env.setdefault("TASK_BACKEND", "immediate")
    run(PYTHON, "manage.py", "migrate", "--noinput", env=env)
    run(PYTHON, "manage.py", "seed_demo", "--if-empty", "--cases", "2000", "--demo-users", env=env)
    run(PYTHON, "manage.py", "runserver", "127.0.0.1:8000", env=env)


def test(args):
    # The whole suite runs on every core, then the browser tests in a process of their own (one
    # Chromium, one live server): Playwright's event loop would stay in a worker and Django would
    # refuse the ORM to the tests after it. A chosen test or file runs in one process.
    if args:
        run(PYTHON, "-m", "pytest", *args)
        return
    run(PYTHON, "-m", "pytest", "-n", "auto", "-m", "not browser")
    run(PYTHON, "-m", "pytest", "-p", "no:xdist", "tests/browser")


def lock():
    """Pins every production dependency of pyproject.toml's ranges, with hashes, for every
    platform; the deployment guide installs with `pip install --require-hashes`."""
    uv = BIN / ("uv.exe" if os.name == "nt" else "uv")
    if not uv.exists():
        run(PYTHON, "-m", "pip", "install", "--quiet", "uv")
    run(
        uv, "pip", "compile", "pyproject.toml", "--extra", "s3", "--universal",
        "--python-version", "3.11", "--generate-hashes", "--upgrade",
        "--output-file", "requirements.lock",
    )  # fmt: skip


def bench():
    # Datasette only for the benchmark: the `bench` extra, installed on demand.
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", ".[dev,bench]")
    run(PYTHON, "scripts/bench.py", *sys.argv[2:])


def translations(args):
    """Extraction needs GNU gettext (xgettext, msgmerge, msgen), like Django's makemessages;
    compiling needs only Python (Babel). The compiled .mo files are committed."""
    env = {**os.environ, "DEBUG": "true"}
    if "--compile" not in args:
        languages = ["kk", "ru", "ky", "ug", "zh_Hans", "en"]
        run(
            PYTHON, "manage.py", "makemessages", "--domain", "django",
            *[f"--locale={language}" for language in languages],
            "--no-obsolete", "--add-location=file",
            "--ignore=tests/*", "--ignore=scripts/*", "--ignore=staticfiles/*",
            "--ignore=docs/*", "--ignore=deploy/*", "--ignore=build/*",
            env=env,
        )  # fmt: skip
        # The English catalog translates every string to itself, plural forms included.
        english = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
        run("msgen", english, "--output-file", english)
        run(PYTHON, "-m", "casetracker.catalogs", "headers")
    run(PYTHON, "-m", "casetracker.catalogs", "compile")


def main():
    commands = {"run", "test", "install", "lock", "bench", "translations"}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    ensure_environment()
    if sys.argv[1] == "run":
        serve()
    elif sys.argv[1] == "test":
        test(sys.argv[2:])
    elif sys.argv[1] == "lock":
        lock()
    elif sys.argv[1] == "bench":
        bench()
    elif sys.argv[1] == "translations":
        translations(sys.argv[2:])


if __name__ == "__main__":
    main()
