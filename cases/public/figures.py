"""The public figures: counts of public entries by status, ethnicity, gender, year, prefecture,
citizenship and organization.

Each is an aggregate over every public case, so they are computed together and kept in Django's
cache for a short while (FIGURES_CACHE_SECONDS): the home page, the figures page and the
organization and country pages then cost no scan of 100,000 cases per visit. Only counts are
cached, never a name; labels are added at render time, in the reader's language.
"""

from django.core.cache import cache
from django.db.models import Count

from cases.models import PublicEntry, PublicEntryCountry
from orgs.models import Country, Organization

FIGURES_CACHE_KEY = "cases:public-figures:v3"
FIGURES_CACHE_SECONDS = 120


def _counts(queryset, field):
    return {
        row[field]: row["n"]
        for row in queryset.order_by().values(field).annotate(n=Count("pk")).order_by(field)
    }


def compute_figures():
    """Every count from the public entries (and their countries): what was published, and
    nothing a reviewer has not published."""
    entries = PublicEntry.objects.all()
    countries = PublicEntryCountry.objects.all()
    return {
        "country_names": dict(Country.objects.values_list("code", "name")),
        "total": entries.count(),
        "by_status": _counts(entries, "status"),
        "by_ethnicity": _counts(entries, "ethnicity"),
        "by_gender": _counts(entries, "gender"),
        "by_year": _counts(entries.filter(detention_year__isnull=False), "detention_year"),
        "by_prefecture": _counts(entries, "prefecture"),
        "by_evidence": _counts(entries, "evidence_level"),
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


def public_figures():
    figures = cache.get(FIGURES_CACHE_KEY)
    if figures is None:
        figures = compute_figures()
        cache.set(FIGURES_CACHE_KEY, figures, FIGURES_CACHE_SECONDS)
    return figures


def forget_figures():
    """Drop the cached figures, such as after a publication or a withdrawal of consent."""
    cache.delete(FIGURES_CACHE_KEY)
