"""What a production server lacks (`manage.py production_check`): each check says what is wrong
and what to set, in the words of README's "Production" section."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from casetracker import health

DEVELOPMENT_KEY = "django-insecure-development-only-key-never-use-in-production"
PROCESS_MEMORY_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@dataclass
class Finding:
    ok: bool
    what: str
    hint: str = ""


def findings() -> list[Finding]:
    from jobs.queue import queue_is_database
    from jobs.runner import live_workers

    result = []

    def check(ok, what, hint=""):
        result.append(Finding(bool(ok), what, "" if ok else hint))

    check(not settings.DEBUG, "DEBUG is off", "Set DEBUG=false.")
    check(
        settings.SECRET_KEY != DEVELOPMENT_KEY and len(settings.SECRET_KEY) >= 50,
        "a secret key of 50 or more characters is set",
        "Set SECRET_KEY to python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.",
    )
    check(
        settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS,
        "ALLOWED_HOSTS names the site",
        "Set ALLOWED_HOSTS=cases.example.org.",
    )
    https_only = (
        settings.SECURE_SSL_REDIRECT
        and settings.SESSION_COOKIE_SECURE
        and settings.CSRF_COOKIE_SECURE
        and settings.SECURE_HSTS_SECONDS >= 31536000
    )
    check(
        https_only,
        "HTTPS only: redirect, secure cookies, HSTS for a year",
        "Leave SECURE_SSL_REDIRECT, SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE and "
        "SECURE_HSTS_SECONDS at their production defaults.",
    )
    check(
        settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXY_COUNT >= 1,
        "the proxy's HTTPS and client address are trusted (behind Caddy)",
        "Set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https and TRUSTED_PROXY_COUNT=1.",
    )
    check(
        connections["default"].vendor == "postgresql",
        "the database is PostgreSQL",
        "Set DATABASE_URL=postgres://… (SQLite is for trying the site out).",
    )
    check(
        settings.CACHES["default"]["BACKEND"] not in PROCESS_MEMORY_CACHES,
        "the cache is shared by every process (rate limits, import progress)",
        "Set CACHE_URL=redis://127.0.0.1:6379/1.",
    )
    check(
        settings.BACKUP_RECIPIENT,
        "backups are encrypted to a public key",
        "Set BACKUP_RECIPIENT to the public key printed by manage.py backup_key.",
    )
    check(
        not settings.BACKUP_IDENTITY and not settings.BACKUP_IDENTITY_FILE,
        "the backups' private key is not on this server",
        "Remove BACKUP_IDENTITY and BACKUP_IDENTITY_FILE: whoever takes the server would read "
        "every backup. Keep the key where backups are restored.",
    )
    check(
        queue_is_database(),
        "background jobs go to the queue",
        "Set TASK_BACKEND=database (or unset it).",
    )
    check(
        not queue_is_database() or live_workers().exists(),
        "a background worker is running",
        "Start it: systemctl enable --now casetracker-worker.",
    )
    results = health.run_checks()
    for name, ok in results.items():
        check(ok, f"health check: {name}", "See the log (casetracker.health) for the reason.")
    return result
