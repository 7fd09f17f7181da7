"""Site-wide security pieces that Django and the libraries do not ship: the Permissions-Policy
header, the second factor and no caching for the staff area, the client address behind a proxy,
a check that uploads can never be served as code, and the sign-in lockout page."""

from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core import checks
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control


def client_ip(request):
    """The visitor's address. Behind TRUSTED_PROXY_COUNT proxies it is the entry those proxies
    added to X-Forwarded-For; anything further left was written by the client and is not trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


class PermissionsPolicyMiddleware:
    """Tells browsers that no page here uses the camera, microphone, location and the like, so
    that injected content could not ask for them either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def second_factor_url(request, next_url=None):
    """Where a signed-in but unverified user goes: enrolment if they have no device yet,
    otherwise the code prompt."""
    query = urlencode({"next": next_url or request.get_full_path()})
    return f"{reverse('two_factor:verify')}?{query}"


class StaffAreaRequiresSecondFactorMiddleware:
    """The staff area (and any prefix in SECOND_FACTOR_REQUIRED_PREFIXES) is closed to a
    password alone, whatever its views check: this middleware stands in front of them.

    The admin enforces the same rule itself (casetracker.admin_site)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(tuple(settings.SECOND_FACTOR_REQUIRED_PREFIXES)):
            user = request.user
            # An anonymous visitor is the views' to answer (a sign-in page, or 403 and no file
            # for a download); a password-only session never reaches them.
            if user.is_authenticated and not user.is_verified():
                return redirect(second_factor_url(request))
        return self.get_response(request)


class PrivateAreaNotCachedMiddleware:
    """Every response under NO_STORE_PREFIXES (the staff area, the account pages) tells
    browsers and proxies to keep no copy, as the admin's pages do: they show ID and passport
    numbers, one-time codes and the like, and a shared computer or proxy must not keep them.
    Redirects, refusals and error pages included, so no view can forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(tuple(settings.NO_STORE_PREFIXES)):
            patch_cache_control(response, private=True, no_store=True)
        return response


@checks.register(checks.Tags.security, deploy=True)
def check_media_outside_static(app_configs, **kwargs):
    """Uploads must never land where the static file server (whitenoise or the proxy) would
    serve them as they are."""
    media = Path(settings.MEDIA_ROOT).resolve()
    static = Path(settings.STATIC_ROOT).resolve()
    if media == static or media.is_relative_to(static) or static.is_relative_to(media):
        return [
            checks.Error(
                "MEDIA_ROOT and STATIC_ROOT overlap: uploads could be served as static files.",
                hint="Keep MEDIA_ROOT outside STATIC_ROOT and outside the proxy's web root.",
                id="casetracker.E001",
            )
        ]
    return []


def lockout_response(request, original_response=None, credentials=None):
    """The page a refused sign-in gets (django-axes' lockout callable), with HTTP 429: either
    this username is slowed down (casetracker.auth_backends) and may try again in a few
    seconds, or it is locked at this address, which its owner can lift with their second
    factor."""
    wait = getattr(request, "sign_in_wait_seconds", 0)
    if wait:
        response = render(request, "security/slowed_down.html", {"seconds": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "security/locked_out.html", {"minutes": minutes}, status=429)
