"""Template helpers for languages: the same page in the other languages (the language links and
the hreflang alternates)."""

from django import template

from casetracker.languages import LanguageVersion, language_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_every_language(context, home_only: bool = False) -> list[LanguageVersion]:
    """The current page in each language; with home_only (error pages, which show nothing of
    the address asked for), each language's home page."""
    request = context.get("request")
    url = "/" if request is None or home_only else request.get_full_path()
    return language_versions(url)
