"""More than one server: nothing lives in one process's memory. Public reads may go to a read
replica; two web servers on one PostgreSQL and one Redis see the same publications at once and
count the same rate limit.

These tests start real processes (gunicorn, or Python with other settings), as production does.
"""

import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from cases.models import Case
from tests.factories import (
    CaseFactory,
    ConsentFactory,
    MembershipFactory,
    PersonNameFactory,
    UserFactory,
)
from tests.test_submissions import FORM

ROOT = Path(__file__).resolve().parent.parent
REDIS = ("127.0.0.1", 6379)

REPLICA_SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone
setup_test_environment()
from cases.models import Case
from tests.factories import CaseFactory, ConsentFactory, UserFactory, publish

case = CaseFactory(publication_state=Case.PublicationState.PUBLISHED, published_at=timezone.now())
ConsentFactory(case=case)
publish(case)

def reads(client, url):
    with CaptureQueriesContext(connections["replica"]) as replica, CaptureQueriesContext(
        connections["default"]
    ) as default:
        status = client.get(url).status_code
    return {"status": status, "replica": len(replica), "default": len(default)}

anonymous = Client()
signed_in = Client()
signed_in.force_login(UserFactory(is_staff=True))
print(json.dumps({
    "public": reads(anonymous, f"/cases/{case.entry_number}/"),
    "list": reads(anonymous, "/cases/"),
    "with_session": reads(signed_in, "/cases/"),
    "admin": reads(signed_in, "/admin/"),
}))
"""


def clean_environment(**extra):
    keep = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    return {**keep, "DJANGO_SETTINGS_MODULE": "casetracker.settings", **extra}


def test_anonymous_public_reads_go_to_the_replica_and_everything_else_to_the_primary(tmp_path):
    """The replica is a second alias pointing at the same database file: the router decides,
    the data is the same."""
    database = f"sqlite:///{tmp_path / 'primary.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", REPLICA_SCRIPT],
        cwd=ROOT,
        env=clean_environment(
            DEBUG="true",
            DATABASE_URL=database,
            DATABASE_REPLICA_URL=database,
            MEDIA_ROOT=str(tmp_path / "media"),
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    reads = json.loads(result.stdout.strip().splitlines()[-1])
    for page in ("public", "list"):
        assert reads[page]["status"] == 200
        assert reads[page]["replica"] > 0 and reads[page]["default"] == 0, reads
    assert reads["with_session"]["replica"] == 0 and reads["with_session"]["default"] > 0
    assert reads["admin"]["replica"] == 0


def test_media_can_live_in_an_s3_compatible_bucket():
    code = (
        "from django.conf import settings; import django; django.setup(); "
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl, s.location)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment(
            DEBUG="true",
            MEDIA_STORAGE="s3",
            MEDIA_S3_BUCKET="casetracker-media",
            MEDIA_S3_ENDPOINT_URL="https://s3.example.org",
        ),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage", "casetracker-media", "https://s3.example.org", "private", "media"
    ]  # fmt: skip
    missing = subprocess.run(
        [sys.executable, "-c", "import casetracker.settings"],
        cwd=ROOT,
        env=clean_environment(DEBUG="true", MEDIA_STORAGE="s3"),
        capture_output=True,
        text=True,
    )
    assert "MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET" in missing.stderr


# --- two servers ---------------------------------------------------------------------------------


def reachable(address) -> bool:
    try:
        with socket.create_connection(address, timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A visitor with cookies, speaking to one server or another."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def set_cookie(self, name, value):
        # Cookies belong to the host, whatever the port: both servers get it.
        cookie = http.cookiejar.Cookie(
            version=0, name=name, value=value, port=None, port_specified=False,
            domain="127.0.0.1", domain_specified=False, domain_initial_dot=False, path="/",
            path_specified=True, secure=False, expires=None, discard=True, comment=None,
            comment_url=None, rest={},
        )  # fmt: skip
        self.jar.set_cookie(cookie)

    def request(self, url, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self, url):
        status, page = self.request(url)
        assert status == 200, (url, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def two_servers(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Two servers share one PostgreSQL: this test runs when the suite does "
            "(DATABASE_URL=postgres://…)."
        )
    if not reachable(REDIS):
        pytest.skip("Two servers share one Redis: none answers at 127.0.0.1:6379.")
    params = connection.settings_dict
    env = clean_environment(
        DEBUG="false",
        # The test's own key: the session it signs in with is signed with it.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=(
            f"postgres://{params['USER']}:{params['PASSWORD'] or ''}@"
            f"{params['HOST'] or 'localhost'}:{params['PORT'] or 5432}/{params['NAME']}"
        ),
        CACHE_URL=f"redis://{REDIS[0]}:{REDIS[1]}/7",
        CACHE_KEY_PREFIX=f"test-{secrets.token_hex(6)}",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SUBMISSION_RATE_LIMIT="3",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        CONN_MAX_AGE="0",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "casetracker.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                assert time.monotonic() < deadline, "a server did not start"
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                        break
                except (OSError, urllib.error.HTTPError):
                    time.sleep(0.3)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.mark.django_db(transaction=True)
def test_two_servers_see_a_publication_at_once_and_count_one_rate_limit(two_servers, organization):
    first, second = two_servers
    volunteer = MembershipFactory(organization=organization, role="volunteer").user
    reviewer = MembershipFactory(
        organization=organization, role="reviewer", user=UserFactory(username="reviewer-two")
    ).user
    case = CaseFactory(organization=organization)
    PersonNameFactory(person=case.person, value="Invented Twoservers")
    ConsentFactory(case=case, consent_to_publish=True)
    in_process = Client()
    in_process.force_login(volunteer)
    assert in_process.post(f"/admin/cases/case/{case.pk}/workflow/submit/").status_code == 302
    # The reviewer's session (password and second factor) lives in PostgreSQL, not in a server.
    in_process.force_login(reviewer)
    session = in_process.cookies["sessionid"].value

    reader = Browser()
    assert reader.request(f"{second}/cases/{case.entry_number}/")[0] == 404

    staff = Browser()
    staff.set_cookie("sessionid", session)
    publish = f"{first}/admin/cases/case/{case.pk}/workflow/publish/"
    token = staff.csrf_token(publish)
    status, _page = staff.request(publish, {"csrfmiddlewaretoken": token})
    assert status == 302
    case.refresh_from_db()
    assert case.publication_state == Case.PublicationState.PUBLISHED

    status, page = reader.request(f"{second}/cases/{case.entry_number}/")
    assert status == 200 and "Invented Twoservers" in page
    # The same session works on the other server: nothing of it was in the first one's memory.
    assert staff.request(f"{second}/admin/cases/case/{case.pk}/change/")[0] == 200

    family = Browser()
    answers = []
    for server in (first, second, first, second):
        token = family.csrf_token(f"{server}/submit/")
        status, _page = family.request(f"{server}/submit/", {**FORM, "csrfmiddlewaretoken": token})
        answers.append(status)
    # SUBMISSION_RATE_LIMIT=3 per address, counted in Redis by both servers together.
    assert answers == [302, 302, 302, 429]
