"""The public figures: counts of public entries by status, ethnicity, gender, year, prefecture,
citizenship and organization.

Each is an aggregate over every public case, so they are computed together and kept in Django's
cache under the public record's version (cases.public.pagecache): the home page, the figures
page and the organization and country pages then cost no scan of 100,000 cases per visit, and
a publication, revision or take-down makes them count afresh at once. On PostgreSQL the counts
by column come from one scan (GROUPING SETS). Only counts are cached, never a name; labels are
added at render time, in the reader's language.
"""

from django.core.cache import cache
from django.db import connections
from django.db.models import Count

from cases.models import PublicEntry, PublicEntryCountry
from orgs.models import Country, Organization

FIGURES_CACHE_KEY = "cases:public-figures:v4"
# A bound on how long a version's figures stay; a new version replaces them at once.
FIGURES_CACHE_SECONDS = 24 * 3600
# The entry columns counted value by value.
_COUNTED = ("status", "ethnicity", "gender", "detention_year", "prefecture", "evidence_level")


def _counts(queryset, field):
    return {
        row[field]: row["n"]
        for row in queryset.order_by().values(field).annotate(n=Count("pk")).order_by(field)
    }


def _column_counts(entries):
    """{column: {value: count}} for the counted columns, and the total."""
    if connections[entries.db].vendor != "postgresql":
        counts = {column: _counts(entries, column) for column in _COUNTED}
        return counts, entries.count()
    table = PublicEntry._meta.db_table
    sets = ", ".join(f"({column})" for column in _COUNTED)
    grouping = ", ".join(f"GROUPING({column})" for column in _COUNTED)
    counts = {column: {} for column in _COUNTED}
    total = 0
    with connections[entries.db].cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_COUNTED)}, {grouping}, COUNT(*) FROM {table} "
            f"GROUP BY GROUPING SETS ({sets}, ())"
        )
        width = len(_COUNTED)
        for row in cursor.fetchall():
            values, grouped, n = row[:width], row[width : 2 * width], row[-1]
            # GROUPING(column) is 0 for the set the row counts, 1 for the others.
            kept = [i for i, flag in enumerate(grouped) if flag == 0]
            if not kept:
                total = n
            else:
                counts[_COUNTED[kept[0]]][values[kept[0]]] = n
    return {column: dict(sorted(c.items(), key=_order)) for column, c in counts.items()}, total


def _order(item):
    # The order _counts() gives: by value, NULL last.
    return (item[0] is None, item[0] if item[0] is not None else 0)


def compute_figures():
    """Every count from the public entries (and their countries): what was published, and
    nothing a reviewer has not published."""
    entries = PublicEntry.objects.all()
    countries = PublicEntryCountry.objects.all()
    counts, total = _column_counts(entries)
    counts["detention_year"].pop(None, None)
    return {
        "country_names": dict(Country.objects.values_list("code", "name")),
        "total": total,
        "by_status": counts["status"],
        "by_ethnicity": counts["ethnicity"],
        "by_gender": counts["gender"],
        "by_year": counts["detention_year"],
        "by_prefecture": counts["prefecture"],
        "by_evidence": counts["evidence_level"],
        "by_citizenship": _counts(
            countries.filter(relation=PublicEntryCountry.Relation.CITIZEN), "country_code"
        ),
        # Families split across a border: public entries with a relative living in the country.
        "by_relatives_country": _counts(
            countries.filter(relation=PublicEntryCountry.Relation.RELATIVES), "country_code"
        ),
        "by_organization": dict(
            Organization.objects.annotate(n=Count("public_entries")).values_list("slug", "n")
        ),
    }


def _key():
    from cases.public.pagecache import public_version

    return f"{FIGURES_CACHE_KEY}:{public_version()}"


def public_figures():
    key = _key()
    figures = cache.get(key)
    if figures is None:
        figures = compute_figures()
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def forget_figures():
    """Drop the cached figures, such as after a publication or a withdrawal of consent."""
    cache.delete(_key())


def cached_count(queryset, parameters):
    """The number of entries in a filtered list, counted once per version of the public record
    and set of filter `parameters` (a dict of lists): the list's later pages, and every visitor
    after the first, read it from the cache."""
    import hashlib

    from cases.public.pagecache import public_version

    text = repr(sorted((name, sorted(values)) for name, values in parameters.items()))
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = f"cases:public-count:{public_version()}:{digest}"
    count = cache.get(key)
    if count is None:
        count = queryset.order_by().count()
        cache.set(key, count, FIGURES_CACHE_SECONDS)
    return count
