"""Which language a visitor reads, and the address of each page in every language.

The public pages live under `i18n_patterns` with the default language's prefix omitted: English
at /cases/12/, every other language under its prefix (/kk/cases/12/, /ug/cases/12/), so that each
language has an address that can be shared and cited. An address without a prefix stands for
"the visitor's language": a visitor arriving from elsewhere (a link in a chat, a search engine,
an address typed in) whose browser prefers another language of the site is redirected to that
language's address; a visitor already on the site (following a link of an English page, or
choosing English in the language links) reads English there. No cookie is involved, so that the
public pages stay the same for everyone and can be cached.

The admin, the staff area, the account pages, the files and the sitemap are outside the
language prefixes: they follow the browser's language (or the language cookie Django's own
set_language view writes).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import get_script_prefix, is_valid_path, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

# What a shared cache must take into account for an address without a language prefix.
UNPREFIXED_VARY = ("Accept-Language", "Sec-Fetch-Site")


def _other_language() -> str:
    return next(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)


def has_language_versions(path: str, urlconf: str | None = None) -> bool:
    """Whether a path without a language prefix is one of the pages that exist in every
    language (the public site), rather than the admin, the staff area or a file."""
    other = _other_language()
    with translation.override(other):
        return bool(is_valid_path(f"/{other}{path}", urlconf))


def _arrives_from_elsewhere(request: HttpRequest) -> bool:
    """A navigation from outside the site: a link elsewhere, a bookmark, a typed address."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site != "same-origin"
    # Browsers without Fetch Metadata send the Referer of same-origin navigations (the site's
    # referrer policy is same-origin).
    referer = request.headers.get("Referer")
    if not referer:
        return True
    try:
        return urlsplit(referer).netloc != request.get_host()
    except DisallowedHost:
        return True


class VisitorLanguageMiddleware(MiddlewareMixin):
    """In place of Django's LocaleMiddleware: see the module's docstring."""

    def process_request(self, request: HttpRequest) -> HttpResponseBase | None:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        request.language_unprefixed = False  # type: ignore[attr-defined]
        from_path = translation.get_language_from_path(request.path_info)
        preferred = translation.get_language_from_request(request, check_path=False)
        if from_path:
            language = from_path
        elif has_language_versions(request.path_info, urlconf):
            request.language_unprefixed = True  # type: ignore[attr-defined]
            language = settings.LANGUAGE_CODE
            if (
                preferred != settings.LANGUAGE_CODE
                and request.method in ("GET", "HEAD")
                and _arrives_from_elsewhere(request)
            ):
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred  # type: ignore[attr-defined]
                script_prefix = get_script_prefix()
                target = request.get_full_path().replace(
                    script_prefix, f"{script_prefix}{preferred}/", 1
                )
                return HttpResponseRedirect(target)
        else:
            language = preferred
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "language_unprefixed", False):
            patch_vary_headers(response, UNPREFIXED_VARY)
        elif not translation.get_language_from_path(request.path_info):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@dataclass(frozen=True)
class LanguageVersion:
    code: str
    name: str  # in its own language
    url: str  # path and query
    bidi: bool
    current: bool
    same_page: bool  # False: the language's home page, the page having no language versions

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


def _in_language(url: str, code: str) -> str:
    """The address of the same page and query in another language."""
    parts = urlsplit(url)
    with translation.override(
        translation.get_language_from_path(parts.path) or settings.LANGUAGE_CODE
    ):
        match = resolve(unquote(parts.path))
    with translation.override(code):
        path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    return urlunsplit(("", "", path, parts.query, ""))


def language_versions(url: str) -> list[LanguageVersion]:
    """The same page (path and query) in every language of the site; for a page without
    language versions (an error page, the admin), each language's home page."""
    current = translation.get_language()
    path = urlsplit(url).path
    language = translation.get_language_from_path(path)
    same_page = has_language_versions(path.removeprefix(f"/{language}") if language else path)
    versions = []
    for code, name in settings.LANGUAGES:
        if same_page:
            address = _in_language(url, code)
        else:
            with translation.override(code):
                address = reverse("home")
        versions.append(
            LanguageVersion(
                code=code,
                name=name,
                url=address,
                bidi=translation.get_language_info(code)["bidi"],
                current=code == current,
                same_page=same_page,
            )
        )
    return versions
