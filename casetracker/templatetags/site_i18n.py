"""Template helpers for languages: the same page in the other languages (the language links and
the hreflang alternates), and names marked with their language and direction."""

from django import template
from django.utils.html import format_html

from cases.names import name_direction, name_language_tag
from casetracker.languages import LanguageVersion, language_versions

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_every_language(context, home_only: bool = False) -> list[LanguageVersion]:
    """The current page in each language; with home_only (error pages, which show nothing of
    the address asked for), each language's home page."""
    request = context.get("request")
    url = "/" if request is None or home_only else request.get_full_path()
    return language_versions(url)


@register.simple_tag
def person_name(value: str, script: str = "", language: str = "") -> str:
    """A person's name marked with its own language and direction, so that a Russian page
    shows a Uyghur name as lang="ug" dir="rtl" and a screen reader reads it in its language.
    The element has a dir attribute, so it is isolated from the text around it."""
    if not value:
        return ""
    return format_html(
        '<span class="person-name" lang="{}" dir="{}">{}</span>',
        name_language_tag(value, script, language),
        name_direction(value, script),
        value,
    )
