"""Public reads from a PostgreSQL read replica (DATABASE_REPLICA_URL), everything else from the
primary.

Only what an anonymous visitor asks for with GET or HEAD, outside the admin, the staff area and
sign-in pages, reads from the replica: the public pages can be a moment behind the primary, and
nobody edits from them. A visitor with a session (a volunteer looking at the public site) reads
from the primary, so that what they just published shows at once. Writes always go to the
primary, and migrations run there only.
"""

import contextvars

from django.conf import settings
from django.utils.translation import get_language_from_path

REPLICA = "replica"
PRIVATE_PREFIXES = ("/admin/", "/staff/", "/account/", "/submit/", "/i18n/", "/healthz")

reading_public_pages: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_public_pages", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _unprefixed(path: str) -> str:
    """The path without its language prefix (/kk/submit/ is the submission form too)."""
    language = get_language_from_path(path)
    return path.removeprefix(f"/{language}") if language else path


class PublicReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = (
            replica_configured()
            and request.method in {"GET", "HEAD"}
            and not _unprefixed(request.path).startswith(PRIVATE_PREFIXES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        token = reading_public_pages.set(public)
        try:
            return self.get_response(request)
        finally:
            reading_public_pages.reset(token)


class PublicReadsRouter:
    def db_for_read(self, model, **hints):
        if reading_public_pages.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
