"""What the public may see, declared in one place, and the only code that reads it.

`PUBLIC_FIELDS` is the allowlist: for each model (by its label), the fields that may appear on a
public page, in a public download or in public search. A field not listed here is private, so a
field added to a model stays off the public site until someone adds it here on purpose.

Public views never hand model instances to templates. They hand over the plain dicts built by
the functions below, which read every value through `public_value()`; reading a field that is not in
`PUBLIC_FIELDS` raises, so a slip in this module fails the tests instead of leaking.

On top of the allowlist, the family's consent decides how much of the person shows:
- anonymous: entry number, gender, birth year, ethnicity, region (prefecture) and status;
- name only: also the names in every script, hometown county and occupation;
- full name and photo: also the photo, when the photo consent is given.
Relatives are described by their relationship and citizenship ("a daughter, citizen of
Kazakhstan"); only the person who gave the consent may be named, and only when the consent says so.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from cases.choices import choice_labels

PUBLIC_FIELDS: dict[str, tuple[str, ...]] = {
    "cases.case": (
        "entry_number",
        "status",
        "status_confirmed_on",
        "evidence_level",
        "summary",
        "content_language",
        "detention_year",
        "published_at",
        "updated_at",
        "organization",
        "person",
    ),
    # Only what an anonymous entry shows; IDENTIFYING_FIELDS below are added with consent.
    "cases.person": (
        "gender",
        "birth_date",
        "birth_date_precision",
        "ethnicity",
        "hometown_prefecture",
        "hometown_county",
        "occupation",
        "photo",
    ),
    "cases.personname": ("value", "script", "language", "kind"),
    "cases.citizenship": ("country",),
    "cases.relationship": ("kind",),
    # The country where a relative lives now: the "relatives live in" filter and figures. The
    # place within it stays private.
    "cases.residence": ("country",),
    "cases.caseevent": (
        "kind",
        "date_start",
        "date_start_precision",
        "date_end",
        "date_end_precision",
        "facility",
        "place",
        "official_reason",
        "suspected_reasons",
        "sentence_months",
        "description",
    ),
    "cases.facility": (
        "name",
        "name_zh",
        "name_pinyin",
        "name_ug",
        "name_kk",
        "kind",
        "prefecture",
        "county",
    ),
    # The summary and the events' public descriptions in other languages.
    "cases.casetranslation": ("event", "language", "text"),
    # Only rows with visibility "public" (see public_sources / public_testimonies).
    "cases.source": (
        "kind",
        "title",
        "description",
        "url",
        "archived_url",
        "published_on",
        "reliability",
    ),
    "cases.testimony": ("relationship", "given_on", "language", "medium", "link"),
    "orgs.country": ("code", "name", "name_ru", "name_local", "notes"),
    "orgs.organization": ("name", "slug", "country", "city", "kind", "description", "website"),
    # Only actions with is_public set.
    "orgs.advocacyaction": (
        "organization",
        "kind",
        "title",
        "date",
        "date_precision",
        "addressee",
        "reference_number",
        "description",
        "outcome",
    ),
}

# Fields of the detained person that only a consent naming them lets through.
IDENTIFYING_FIELDS: dict[str, set[str]] = {
    "cases.person": {"hometown_county", "occupation", "photo"}
}


def public_columns(label: str, prefix: str = "") -> list[str]:
    """The concrete columns of a model's public fields, for `QuerySet.only()`."""
    return [f"{prefix}{name}" for name in PUBLIC_FIELDS[label]]


def public_value(instance: models.Model, name: str) -> Any:
    """The value of a public field; reading anything else is a programming error."""
    label = instance._meta.label_lower
    if name not in PUBLIC_FIELDS.get(label, ()):
        raise ImproperlyConfigured(
            f"{label}.{name} is not in cases.public.allowlist.PUBLIC_FIELDS."
        )
    return getattr(instance, name)


def public_display(instance, name, labels=True):
    """A public field's value as the reader sees it: the label of a choice, in their language."""
    value = public_value(instance, name)
    if not labels:
        return value
    field = instance._meta.get_field(name)
    if field.choices:
        return choice_labels(field).get(value, value)
    return value
