"""A mirror of the public site as plain files, for any static host when the site is blocked.

The mirror is made by visiting the public site as an anonymous visitor would, in every language
of settings.LANGUAGES, from the home page outwards: whatever a public page links to (and is not
the admin, the staff area, a sign-in page or a form that posts) is fetched and written as a file,
and every link is rewritten to a relative path inside the output folder. So the mirror shows
exactly what the public site shows, read through the same views and the same allowlist.

    index.html                 the choice of language
    <language>/...             the pages, one folder per language (cases/index.html, …)
    <language>/cases/page/N/   the case list's further pages
    static/…                   style sheets and images
    files/…, cases/N/photo.…   public files and photos, shared by every language
    cases/open-data.csv|json   the open data

A static host has no server to search or filter: search boxes and filters lead to the full,
pre-rendered list, and a note on every page says so. Forms that post (the submission form) are
left out; the language links of each page lead to the same page's file in the other languages.
"""

import html
import mimetypes
import posixpath
import re
import shutil
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

# Views that never belong in a mirror: they need a signed-in user, or they post.
EXCLUDED_NAMESPACES = {"admin", "staff", "two_factor"}
EXCLUDED_VIEWS = {"submission", "submission_thanks", "set_language", "healthz"}
# Responses that are the same in every language are written once, at the root.
SHARED_VIEWS = {"cases:download", "cases:photo", "upload"}
LIST_VIEW = "cases:list"

ATTRIBUTE_URL = re.compile(r'(?P<attr>\b(?:href|src|action))="(?P<url>[^"]*)"')
CSS_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]+)['\"]?\s*\)")
POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>.*?</form>", re.S | re.I)
LINK = re.compile(r"<a\b[^>]*>(?P<text>.*?)</a>", re.S | re.I)
MAIN_OPEN = re.compile(r"(<main\b[^>]*>)", re.I)
# The page's own address on the server it came from: a mirror exists because that server may be
# blocked, so it never points readers back there.
SELF_ADDRESS = re.compile(r'\s*<(?:link rel="canonical"|meta property="og:url")[^>]*>', re.I)


@dataclass
class Page:
    """One URL of the site and the file it becomes."""

    url: str  # path and query, as the site knows it
    language: str | None  # None: shared by every language
    view: str = ""


@dataclass
class MirrorResult:
    pages: int = 0
    files: int = 0
    skipped: set = field(default_factory=set)


def _view_name(path: str) -> str | None:
    """The view's name for a site path, or None when the path is no page of the site or must
    not be mirrored."""
    # A page's address holds its language (/kk/cases/), English's none.
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path)
    except Resolver404:
        return None
    if set(match.namespaces) & EXCLUDED_NAMESPACES or match.url_name in EXCLUDED_VIEWS:
        return None
    return match.view_name


def _list_page(query: str) -> int:
    """Which page of the pre-rendered list a list URL becomes: its page number when the query
    holds nothing else, otherwise the first page (filters and searches are not pre-rendered)."""
    params = parse_qsl(query, keep_blank_values=True)
    if [name for name, _value in params if name != "page"]:
        return 1
    for name, value in params:
        if name == "page" and value.isdigit() and int(value) > 1:
            return int(value)
    return 1


class Mirror:
    def __init__(
        self,
        output: Path,
        *,
        languages: list[str] | None = None,
        report: Callable[[str], None] = lambda message: None,
    ):
        self.output = output
        self.languages = languages or [code for code, _name in settings.LANGUAGES]
        self.report = report
        hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
        self.host = hosts[0] if hosts else "localhost"
        self.client = Client(SERVER_NAME=self.host)
        self.files: dict[tuple[str | None, str], str] = {}  # (language, site URL) → file path
        self.aliases: dict[tuple, tuple] = {}  # redirects inside the site
        self.result = MirrorResult()

    # --- where each URL goes -----------------------------------------------------------------

    def key(self, url: str, language: str | None = None) -> tuple[str | None, str] | None:
        """The canonical (language, URL) that a site URL stands for in the mirror, or None when
        it is not mirrored. A page's language is in its address (/kk/cases/; English without
        a prefix). Lists with filters or a search become the plain list."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None
        view = _view_name(parts.path)
        if view is None:
            return None
        prefix = translation.get_language_from_path(parts.path)
        if view in SHARED_VIEWS:
            return (None, parts.path.removeprefix(f"/{prefix}") if prefix else parts.path)
        language = prefix or settings.LANGUAGE_CODE
        if language not in self.languages:
            return None
        if view == LIST_VIEW:
            page = _list_page(parts.query)
            return (language, parts.path + (f"?page={page}" if page > 1 else ""))
        return (language, parts.path)

    def file_for(self, key: tuple[str | None, str], content_type: str = "") -> str:
        language, url = key
        path, _sep, query = url.partition("?")
        relative = path.lstrip("/")
        if query:  # only the list's page numbers remain here
            relative = posixpath.join(relative, "page", query.removeprefix("page="), "")
        if content_type.startswith("text/html"):
            if relative == "" or relative.endswith("/"):
                relative += "index.html"
            elif not posixpath.splitext(relative)[1]:
                relative += ".html"
        else:
            relative = relative.rstrip("/")
            if not posixpath.splitext(relative)[1]:
                extension = mimetypes.guess_extension(content_type.split(";")[0].strip())
                relative += {".jpe": ".jpg", None: ".bin"}.get(extension, extension)
        if language is not None and not path.startswith(f"/{language}/"):
            relative = posixpath.join(language, relative)
        return relative

    # --- fetching -------------------------------------------------------------------------------

    def fetch(self, key):
        """The response's body and type; a redirect inside the site is followed as an alias."""
        language, url = key
        headers = {"Accept-Language": language or settings.LANGUAGE_CODE}
        with translation.override(language or settings.LANGUAGE_CODE):
            response = self.client.get(url, headers=headers, secure=True)
        if response.status_code in {301, 302, 307, 308}:
            target = self.key(urljoin(url, response["Location"]), language)
            if target is not None and target != key:
                self.aliases[key] = target
                return target, "redirect"
        if response.status_code != 200:
            self.result.skipped.add(url)
            return None, ""
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body, response.get("Content-Type", "")

    def run(self) -> MirrorResult:
        if self.output.exists() and any(self.output.iterdir()):
            raise FileExistsError(f"{self.output} is not empty.")
        self.output.mkdir(parents=True, exist_ok=True)
        staging = self.output / ".pages"
        queue: deque = deque()
        for language in self.languages:
            with translation.override(language):
                queue.append((language, reverse("home")))
        seen = set(queue)
        html_pages: list[tuple[tuple, str]] = []
        while queue:
            key = queue.popleft()
            body, content_type = self.fetch(key)
            if body is None:
                continue
            if content_type == "redirect":
                if body not in seen:
                    seen.add(body)
                    queue.append(body)
                continue
            target = self.file_for(key, content_type)
            self.files[key] = target
            if content_type.startswith("text/html"):
                text = body.decode("utf-8")
                for link in self.links(text, key):
                    if link not in seen:
                        seen.add(link)
                        queue.append(link)
                staged = staging / target
                staged.parent.mkdir(parents=True, exist_ok=True)
                staged.write_text(text, encoding="utf-8")
                html_pages.append((key, target))
                self.result.pages += 1
                if self.result.pages % 500 == 0:
                    self.report(f"{self.result.pages} pages…")
            else:
                written = self.output / target
                written.parent.mkdir(parents=True, exist_ok=True)
                written.write_bytes(body)
                self.result.files += 1
        for key, target in list(self.aliases.items()):
            while target in self.aliases:
                target = self.aliases[target]
            if target in self.files:
                self.files[key] = self.files[target]
        for key, target in html_pages:
            text = (staging / target).read_text(encoding="utf-8")
            written = self.output / target
            written.parent.mkdir(parents=True, exist_ok=True)
            written.write_text(self.rewrite(text, key, target), encoding="utf-8")
        shutil.rmtree(staging, ignore_errors=True)
        self.write_language_choice()
        return self.result

    def links(self, text: str, key) -> list:
        language, url = key
        found = []
        for match in ATTRIBUTE_URL.finditer(text):
            link = self.key(urljoin(url, html.unescape(match["url"])), language)
            if link is not None:
                found.append(link)
        return found

    # --- rewriting ------------------------------------------------------------------------------

    def relative(self, target: str, source: str) -> str:
        start = posixpath.dirname(source) or "."
        return posixpath.relpath(target, start)

    def static_file(self, url: str, source: str) -> str | None:
        """Copies a /static/ file (and what a style sheet refers to) into the mirror; returns its
        path relative to `source`, or None."""
        prefix = "/" + settings.STATIC_URL.lstrip("/")
        path = urlsplit(url).path
        if not path.startswith(prefix):
            return None
        name = path[len(prefix) :]
        target = posixpath.join("static", name)
        written = self.output / target
        if not written.exists():
            found = None
            try:
                found = staticfiles_storage.path(name)
            except NotImplementedError:
                found = None
            if not found or not Path(found).exists():
                found = finders.find(name)
            if not found:
                return None
            written.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, written)
            self.result.files += 1
            if name.endswith(".css"):
                self.copy_css_references(written, url)
        return self.relative(target, source)

    def copy_css_references(self, css_file: Path, css_url: str):
        text = css_file.read_text(encoding="utf-8")
        target = posixpath.relpath(str(css_file.relative_to(self.output)), ".")

        def replace(match):
            reference = match["url"]
            if reference.startswith(("data:", "#")) or urlsplit(reference).scheme:
                return match.group(0)
            copied = self.static_file(urljoin(css_url, reference), target)
            return f'url("{copied}")' if copied else match.group(0)

        css_file.write_text(CSS_URL.sub(replace, text), encoding="utf-8")

    def rewrite(self, text: str, key, source: str) -> str:
        language, url = key
        text = POST_FORM.sub("", text)
        text = SELF_ADDRESS.sub("", text)

        def replace(match):
            raw = html.unescape(match["url"])
            parts = urlsplit(raw)
            if parts.scheme in {"http", "https"} and parts.hostname == self.host:
                # The page's own permanent address (the citation): the mirror's copy of it.
                raw = parts.path
            elif raw.startswith("#") or parts.scheme in {"http", "https", "mailto"}:
                return match.group(0)
            absolute = urljoin(url, raw)
            fragment = "#" + urlsplit(raw).fragment if urlsplit(raw).fragment else ""
            static = self.static_file(absolute, source)
            if static is not None:
                return f'{match["attr"]}="{html.escape(static)}"'
            link = self.key(absolute, language)
            if link is not None and link in self.files:
                relative = self.relative(self.files[link], source) + fragment
                return f'{match["attr"]}="{html.escape(relative)}"'
            return f'{match["attr"]}="#unavailable"'

        text = ATTRIBUTE_URL.sub(replace, text)
        # A link that leads nowhere in the mirror (the submission form, a sign-in page) is
        # kept as its text.
        text = LINK.sub(
            lambda m: m.group(0) if 'href="#unavailable"' not in m.group(0) else m["text"], text
        )
        text = text.replace(' action="#unavailable"', "")
        with translation.override(language or settings.LANGUAGE_CODE):
            note = _(
                "This is a copy of the public site for reading offline or on another server. "
                "Search and filters do not work here: they show the whole list."
            )
        text = MAIN_OPEN.sub(
            lambda m: f'{m.group(1)}<p class="mirror-note" role="note">{html.escape(note)}</p>',
            text,
            count=1,
        )
        return text

    def write_language_choice(self):
        items = []
        for code in self.languages:
            with translation.override(code):
                key = (code, reverse("home"))
            if key in self.files:
                name = html.escape(translation.get_language_info(code)["name_local"])
                href = html.escape(self.files[key])
                items.append(
                    f'<li><a href="{href}" lang="{code}" hreflang="{code}">{name}</a></li>'
                )
        with translation.override(settings.LANGUAGE_CODE):
            default = html.escape(self.files.get((settings.LANGUAGE_CODE, reverse("home")), ""))
        refresh = f'<meta http-equiv="refresh" content="0; url={default}">' if default else ""
        (self.output / "index.html").write_text(
            '<!doctype html><html><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>casetracker</title>{refresh}</head>"
            f"<body><ul>{''.join(items)}</ul></body></html>",
            encoding="utf-8",
        )


def export_static_site(output: Path, **options) -> MirrorResult:
    return Mirror(output, **options).run()
