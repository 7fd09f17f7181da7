"""Sign-in backends: django-axes' lockout check and the per-username slow-down in front of
Django's password check.

Two limits, so that nobody can aim a lockout at a member:
- django-axes locks a username *at one address* after AXES_FAILURE_LIMIT failures
  (AXES_LOCKOUT_PARAMETERS): a guesser locks only themselves, and one office address does not
  lock out the whole group that shares it.
- Across addresses a username is slowed down, never locked: after SIGN_IN_SLOWDOWN_AFTER
  failures from anywhere, each further try must wait a delay that doubles with every failure,
  up to SIGN_IN_SLOWDOWN_MAX_SECONDS. Guessing from many addresses stays slow, and the member
  waits at most that long.
A locked member can also lift their lockout at once with their second factor
(orgs.two_factor.unlock).
"""

import hashlib
import math
import time

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.core.cache import cache


def _now() -> float:
    return time.time()


def _key(username: str) -> str:
    # Hashed: the cache never holds the names people typed.
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    return f"sign-in-failures:{digest}"


def sign_in_wait_seconds(username: str | None) -> int:
    """How many seconds a sign-in as `username` must still wait (0: it may try now)."""
    if not username:
        return 0
    failures, last = cache.get(_key(username), (0, 0.0))
    beyond = failures - settings.SIGN_IN_SLOWDOWN_AFTER
    if beyond < 0:
        return 0
    delay = min(2**beyond, settings.SIGN_IN_SLOWDOWN_MAX_SECONDS)
    return max(0, math.ceil(last + delay - _now()))


def note_failed_sign_in(username: str | None) -> None:
    if not username:
        return
    failures, _last = cache.get(_key(username), (0, 0.0))
    # Forgotten after a quiet cool-off period, like django-axes' own counts.
    timeout = int(settings.AXES_COOLOFF_TIME.total_seconds())
    cache.set(_key(username), (failures + 1, _now()), timeout)


def clear_failed_sign_ins(username: str | None) -> None:
    if username:
        cache.delete(_key(username))


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check and the username slow-down, for every sign-in that comes with
    a request (every web form).

    A sign-in without a request (the test client's `login()`, a management command) has no
    address to lock; django-axes would refuse it outright, so it is passed on unchecked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            request.sign_in_unchecked = True
            raise
        wait = sign_in_wait_seconds(username)
        if wait:
            # Marked as axes marks a lockout, so that django-axes does not count the refused
            # try as a failure and AxesMiddleware answers with the lockout page, which reads
            # `sign_in_wait_seconds`.
            request.axes_locked_out = True
            request.sign_in_wait_seconds = wait
            request.sign_in_unchecked = True
            raise AxesBackendPermissionDenied("This username must wait before it tries again.")
        return None


def _failed(sender, credentials, request=None, **kwargs):
    # A try refused before its password was checked is no guess: counting it would let anyone
    # keep a member waiting for ever.
    if request is not None and getattr(request, "sign_in_unchecked", False):
        return
    note_failed_sign_in(credentials.get("username"))


def _succeeded(sender, request, user, **kwargs):
    clear_failed_sign_ins(user.get_username())


def connect_signals() -> None:
    from django.contrib.auth.signals import user_logged_in, user_login_failed

    user_login_failed.connect(_failed, dispatch_uid="sign_in_slowdown_failed")
    user_logged_in.connect(_succeeded, dispatch_uid="sign_in_slowdown_succeeded")
