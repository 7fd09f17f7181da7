"""/healthz: is this server able to do its work? For the proxy's health checks and monitoring.

Unauthenticated, so it says only "ok" or "failing" per check: no versions, paths, counts, error
messages or timings that would tell a visitor more about the server than that it works. Why a
check fails is written to the log (the exception's type only), where the administrator reads it.
"""

import logging
import secrets
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("casetracker.health")

# Reading the migration files costs tens of milliseconds; a probe every few seconds need not pay
# it each time. Migrations change only with a deployment, which restarts the process anyway.
MIGRATIONS_RECHECK_SECONDS = 300
_migrations_checked = {"at": 0.0, "ok": False}


def check_database() -> bool:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone()[0] != 1:
                return False
    return True


def check_cache() -> bool:
    key = f"healthz:{secrets.token_hex(8)}"
    cache.set(key, "1", 30)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return ok


def check_media() -> bool:
    name = default_storage.save(f"healthz/{secrets.token_hex(8)}", ContentFile(b"ok"))
    try:
        return default_storage.exists(name)
    finally:
        default_storage.delete(name)


def check_migrations() -> bool:
    now = time.monotonic()
    if _migrations_checked["ok"] and now - _migrations_checked["at"] < MIGRATIONS_RECHECK_SECONDS:
        return True
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    ok = not executor.migration_plan(targets)
    _migrations_checked.update(at=now, ok=ok)
    return ok


def check_queue() -> bool:
    """Background work is being done: no task has waited longer than QUEUE_MAX_WAIT_SECONDS,
    and no worker that took a task has gone silent (jobs.queue)."""
    from jobs.queue import oldest_waiting_task, queue_is_database

    if not queue_is_database():
        return True
    oldest = oldest_waiting_task()
    limit = timedelta(seconds=settings.QUEUE_MAX_WAIT_SECONDS)
    return oldest is None or timezone.now() - oldest <= limit


CHECKS: dict[str, Callable[[], bool]] = {
    "database": check_database,
    "cache": check_cache,
    "media": check_media,
    "migrations": check_migrations,
    "queue": check_queue,
}


def run_checks() -> dict[str, bool]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = bool(check())
        except Exception as error:  # a failing check is an answer, not a 500
            logger.warning("health check %s failed: %s", name, type(error).__name__)
            results[name] = False
        else:
            if not results[name]:
                logger.warning("health check %s failed", name)
    return results


@never_cache
@require_safe
def healthz(request):
    results = run_checks()
    healthy = all(results.values())
    body = {
        "status": "ok" if healthy else "failing",
        "checks": {name: "ok" if ok else "failing" for name, ok in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
