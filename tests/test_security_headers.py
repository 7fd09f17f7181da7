"""Production settings: `check --deploy` is clean, and the headers are on public and admin pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "-production-like-key-" + "x7Qz9" * 5,
    "ALLOWED_HOSTS": "cases.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cases.example.org",
}


def test_check_deploy_gives_no_warnings_with_production_settings(tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SECURE_", "SESSION_", "CSRF_"))
        and k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def production(settings):
    """The values settings.py gives when DEBUG is off (the test run turns the https redirect off
    because the test client speaks http)."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.ALLOWED_HOSTS = ["cases.example.org"]
    return settings


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in csp.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_plain_http_is_redirected_to_https(client, db, production):
    response = client.get("/", HTTP_HOST="cases.example.org")
    assert response.status_code == 301
    assert response.url == "https://cases.example.org/"


def test_a_public_page_has_the_security_headers(client, db, production):
    response = client.get("/submit/", secure=True, HTTP_HOST="cases.example.org")
    assert response.status_code == 200
    assert_security_headers(response)
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]
    assert csrf["samesite"] == "Lax"


def test_an_admin_page_has_the_security_headers_and_secure_session_cookies(
    client, volunteer, production
):
    login = client.get("/admin/login/", secure=True, HTTP_HOST="cases.example.org")
    assert_security_headers(login)
    signed_in = client.post(
        "/admin/login/",
        {"username": "aigul", "password": "correct horse battery staple"},
        secure=True,
        HTTP_HOST="cases.example.org",
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert session["max-age"] == ""  # ends with the browser

    client.force_login(volunteer)
    response = client.get("/admin/", secure=True, HTTP_HOST="cases.example.org")
    assert response.status_code == 200
    assert_security_headers(response)


def test_staff_sessions_are_short(settings):
    assert settings.SESSION_COOKIE_AGE <= 4 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_uploads_are_outside_the_static_root(settings):
    media = Path(settings.MEDIA_ROOT).resolve()
    static = Path(settings.STATIC_ROOT).resolve()
    assert not media.is_relative_to(static)
    assert not static.is_relative_to(media)


def test_the_deploy_check_refuses_uploads_inside_the_static_root(settings, tmp_path):
    from casetracker.security import check_media_outside_static

    settings.STATIC_ROOT = tmp_path / "static"
    settings.MEDIA_ROOT = tmp_path / "static" / "media"
    assert [e.id for e in check_media_outside_static(None)] == ["casetracker.E001"]
    settings.MEDIA_ROOT = tmp_path / "media"
    assert check_media_outside_static(None) == []
