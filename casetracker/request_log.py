"""Structured logs: one line per request, and every line as JSON with the request's id.

What a line may hold is decided here, not by whoever calls the logger: the request's id, the
signed-in user's id, the method, the path without its query string (searches live there), the
view, the status and the time taken. Never a client address, a name, a contact, a search term or
an exception's message (a database error quotes the row it refused): exceptions are logged as
their type and stack frames only.
"""

import contextvars
import json
import logging
import re
import time
import traceback
import uuid
from datetime import UTC, datetime

from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger("casetracker.requests")

# The current request's id, for every log line written while it is being answered.
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_request_id", default=""
)

# A proxy's request id is kept only when it looks like one (no spaces, quotes or personal data).
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# The only attributes of a log record that reach a line, besides time, level, logger and message.
FIELDS = (
    "request_id",
    "user_id",
    "method",
    "path",
    "view",
    "status",
    "duration_ms",
    "job_id",
    "job_kind",
)


def _user_id(request) -> int | None:
    """The signed-in user's id, without loading the user just to log it: a public page that
    never looked at the user costs no session or user query here."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    return user.pk


class RequestLogMiddleware:
    """Outermost middleware: gives each request an id (the proxy's X-Request-ID when it sends a
    sane one), returns it in the response's X-Request-ID header, and logs one line when the
    response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        request_id = offered if REQUEST_ID_PATTERN.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            # The proxy's health probe every few seconds would drown the other lines.
            quiet = (
                match is not None and match.url_name == "healthz" and response.status_code == 200
            )
            logger.log(
                logging.DEBUG if quiet else logging.INFO,
                "request",
                extra={
                    "user_id": _user_id(request),
                    "method": request.method,
                    "path": request.path,
                    "view": match.view_name if match else "",
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record written while a request is answered."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id.get()
        return True


def _exception_summary(exc_info) -> dict:
    """The exception's type and where it was raised, without its message."""
    kind, _value, tb = exc_info
    frames = [
        f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)
    ]
    return {"exception": f"{kind.__module__}.{kind.__qualname__}", "stack": frames}


class StructuredFormatter(logging.Formatter):
    """One JSON object per line. Only the message, the allowed fields and an exception's type
    and frames are written; a record's other attributes (Django attaches the whole request to
    error records) never are."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value not in (None, ""):
                line[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            line.update(_exception_summary(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class PlainFormatter(StructuredFormatter):
    """The same fields as key=value pairs, easier on the eye in development."""

    def format(self, record: logging.LogRecord) -> str:
        line = json.loads(super().format(record))
        head = f"{line.pop('time')} {line.pop('level')} {line.pop('logger')}: {line.pop('message')}"
        stack = line.pop("stack", [])
        pairs = " ".join(f"{key}={value}" for key, value in line.items())
        return "\n  ".join([f"{head} {pairs}".rstrip(), *stack])
