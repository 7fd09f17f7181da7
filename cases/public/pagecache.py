"""The page cache for anonymous visitors of the public site.

On a news day thousands of readers open the same few pages: each public page and download is
rendered once per version of the public record, language and day, then served from Django's cache
(Redis through CACHE_URL in production, so that every server process shares it; local memory
otherwise, which is only correct with a single process).

Invalidation is a version, not a timer: every stored page holds the value of a counter that the
publication service bumps after each publication, revision or take-down commits
(`bump_public_version`), as it was when the page was rendered. A look-up reads the counter and the
page in one round trip and takes the page only if the two agree, so a page rendered from the old
record is never served again (the next visitor renders it afresh and stores it over the old).

Never for staff: a request carrying a session cookie skips the cache both ways, so a signed-in
user never gets (or leaves) a cached page. A response that sets a cookie, such as a CSRF token
in a form, is personal and is never stored.
"""

import functools
import hashlib
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from casetracker.replica import replica_configured

VERSION_KEY = "public-pages:version"
# When the public record last changed (time.time()), for pages read from a read replica.
CHANGED_KEY = "public-pages:changed-at"
KEY_PREFIX = "public-pages:page"
# Headers that describe the content; the others (cookies, dates, security headers) are added
# afresh by the middleware on every response.
STORED_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Language",
    "Vary",
    "Cache-Control",
    # The open-data downloads name their licence in a Link header.
    "Link",
)


def _fresh_version() -> int:
    # Starting from the clock rather than 1: if the counter is evicted, the new one cannot
    # coincide with the version of pages stored before the eviction.
    return time.time_ns()


def public_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), None)
        version = cache.get(VERSION_KEY)
    return version


def bump_public_version() -> None:
    """Every cached public page is out of date: the public record changed. Atomic in Redis,
    so that two processes publishing at once both take effect."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, _fresh_version(), None)
    cache.set(CHANGED_KEY, time.time(), None)


def _cache_key(request: HttpRequest) -> str:
    # The host too: a download names the site's own address (request.build_absolute_uri).
    path = hashlib.sha256(f"{request.get_host()}{request.get_full_path()}".encode()).hexdigest()
    # The day too: a page shows today's date (a case page's printed line).
    day = timezone.localdate().isoformat()
    language = get_language()
    return f"{KEY_PREFIX}:{language}:{day}:{request.method == 'HEAD'}:{path}"


def _lookup(key: str) -> tuple[int, dict[str, Any] | None, int]:
    """The public record's version, the page stored under `key` if it was rendered from that
    version, and how long a page rendered now may be kept: one round trip to the cache for a
    page, and one more per part for a download (each part must still be there before the first
    byte goes out)."""
    found = cache.get_many([VERSION_KEY, CHANGED_KEY, key])
    version = found.get(VERSION_KEY)
    timeout = _timeout(found.get(CHANGED_KEY))
    if version is None:
        return public_version(), None, timeout
    stored = found.get(key)
    if stored is None or stored.get("version") != version or not _complete(key, stored):
        return version, None, timeout
    return version, stored, timeout


def _timeout(changed_at: float | None) -> int:
    """How long a page rendered now may be kept. Public pages read a read replica when there
    is one (casetracker.replica), which may be a moment behind the primary: in the first
    PUBLIC_PAGE_CACHE_REPLICA_WINDOW_SECONDS after a change (a take-down above all) a page may
    have been rendered from the record as it was before, under the new version, so it is kept
    only that long and then rendered again from the replica, caught up by then."""
    timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
    if not replica_configured():
        return timeout
    window = settings.PUBLIC_PAGE_CACHE_REPLICA_WINDOW_SECONDS
    if changed_at is None or time.time() - changed_at < window:
        return min(timeout, window)
    return timeout


def _cacheable_request(request: HttpRequest) -> bool:
    if not getattr(settings, "PUBLIC_PAGE_CACHE", True):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    # Signed in (or signing in): never served a page rendered for the public, never stores one.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES


def _cacheable_response(request: HttpRequest, response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.cookies:
        return False
    # A template rendered a CSRF token: the page is this visitor's own, and the cookie follows.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _rebuild(stored: dict[str, Any], key: str) -> HttpResponseBase:
    if stored["parts"] is not None:
        # A download stays a streamed response, as clients and middleware met it on the first
        # visit, read back part by part: a worker holds one part of it at a time, however many
        # visitors download it at once.
        response: HttpResponseBase = StreamingHttpResponse(
            _parts(key, stored), status=stored["status"]
        )
        # A download cut short (a part evicted while it streams) is then seen as cut short.
        response["Content-Length"] = str(stored["length"])
    else:
        response = HttpResponse(stored["content"], status=stored["status"])
    for name, value in stored["headers"].items():
        response[name] = value
    return response


def _part_key(key: str, writing: str, index: int) -> str:
    # Each render of a download writes its parts under a token of its own, which its record
    # names: two visitors storing the same download at once never mix their parts, and a
    # record stored for a newer version never points at an older render's.
    return f"{key}:{writing}:part:{index}"


def _parts(key: str, stored: dict[str, Any]) -> Iterator[bytes]:
    for index in range(stored["parts"]):
        part = cache.get(_part_key(key, stored["writing"], index))
        if part is None:
            # Evicted after the look-up checked it: the visitor must not take a truncated file
            # for a whole one (the Content-Length says how much was due).
            raise RuntimeError("A part of a cached download was evicted while it was served.")
        yield part


def _complete(key: str, stored: dict[str, Any]) -> bool:
    """Whether every part of a stored download is still in the cache (each part is evicted on
    its own)."""
    count, writing = stored["parts"], stored.get("writing")
    return count is None or all(cache.has_key(_part_key(key, writing, i)) for i in range(count))


def _record(version: int, response: HttpResponseBase, **content: Any) -> dict[str, Any]:
    """What the cache keeps of a response: the version it was rendered from, its status, the
    headers that describe it, and its content (a page's bytes, or a download's parts)."""
    return {
        "version": version,
        "status": response.status_code,
        "headers": {name: response[name] for name in STORED_HEADERS if response.has_header(name)},
        **content,
    }


def _store(
    key: str, version: int, response: HttpResponseBase, content: bytes, timeout: int
) -> None:
    cache.set(key, _record(version, response, content=content, parts=None), timeout)


def _storing(
    key: str,
    version: int,
    response: StreamingHttpResponse,
    content: Iterator[bytes],
    timeout: int,
) -> Iterator[bytes]:
    """Stream the download to this visitor and keep a copy for the next, in parts of
    PUBLIC_PAGE_CACHE_PART_BYTES stored as they fill: memory holds one part, not the file. A
    download larger than PUBLIC_PAGE_CACHE_MAX_BYTES is not kept (it streams each time, in
    constant memory), and neither is one the visitor broke off: the parts already stored are
    deleted again, so that no part outlives a record that names it."""
    limit = settings.PUBLIC_PAGE_CACHE_MAX_BYTES
    part_size = settings.PUBLIC_PAGE_CACHE_PART_BYTES
    writing = uuid.uuid4().hex
    written: list[str] = []
    pending: list[bytes] = []
    pending_size = length = 0
    keeping, stored = True, False

    def store_part() -> None:
        part_key = _part_key(key, writing, len(written))
        cache.set(part_key, b"".join(pending), timeout)
        written.append(part_key)

    try:
        for chunk in content:
            if keeping:
                length += len(chunk)
                keeping = length <= limit
                if not keeping:
                    pending = []
                    cache.delete_many(written)
                    written = []
                else:
                    pending.append(chunk)
                    pending_size += len(chunk)
                    if pending_size >= part_size:
                        store_part()
                        pending, pending_size = [], 0
            yield chunk
        if keeping:
            if pending:
                store_part()
            # The record last: a visitor finds it only once every part is in place.
            record = _record(version, response, parts=len(written), writing=writing, length=length)
            cache.set(key, record, timeout)
            stored = True
    finally:
        if not stored and written:
            cache.delete_many(written)


def cached_public_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Serve the view's response from the page cache for anonymous visitors."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _cache_key(request)
        version, stored, timeout = _lookup(key)
        if stored is not None:
            return _rebuild(stored, key)
        response = view(request, *args, **kwargs)
        if not _cacheable_response(request, response):
            return response
        if response.streaming:
            response.streaming_content = _storing(
                key, version, response, iter(response.streaming_content), timeout
            )
        else:
            _store(key, version, response, response.content, timeout)
        return response

    return wrapper
