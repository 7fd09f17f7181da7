"""The public figures: counts of published cases by status, ethnicity, year, prefecture,
citizenship and organization.

Each is an aggregate over every public case, so they are computed together and kept in Django's
cache for a short while (FIGURES_CACHE_SECONDS): the home page, the figures page and the
organization and country pages then cost no scan of 100,000 cases per visit. Only counts are
cached, never a name; labels are added at render time, in the reader's language.
"""

from django.core.cache import cache
from django.db.models import Count, Q

from cases.models import Case, Citizenship, Relationship
from orgs.models import Country, Organization

FIGURES_CACHE_KEY = "cases:public-figures:v1"
FIGURES_CACHE_SECONDS = 120


def _counts(queryset, field):
    return {
        row[field]: row["n"]
        for row in queryset.order_by().values(field).annotate(n=Count("pk")).order_by(field)
    }


def compute_figures():
    public = Case.objects.public()
    public_people = public.values("person")
    organization_public = Q(
        cases__publication_state=Case.PublicationState.PUBLISHED,
        cases__consent__consent_to_publish=True,
        cases__consent__withdrawn_at__isnull=True,
    )

    return {
        "country_names": dict(Country.objects.values_list("code", "name")),
        "total": public.count(),
        "by_status": _counts(public, "status"),
        "by_ethnicity": _counts(public, "person__ethnicity"),
        "by_year": _counts(public.filter(detention_year__isnull=False), "detention_year"),
        "by_prefecture": _counts(public, "person__hometown_prefecture"),
        "by_evidence": _counts(public, "evidence_level"),
        "by_citizenship": {
            row["country__code"]: row["n"]
            for row in Citizenship.objects.filter(person__in=public_people)
            .values("country__code")
            .annotate(n=Count("person", distinct=True))
            .order_by()
        },
        # Families split across a border: public cases with a relative living in the country.
        "by_relatives_country": {
            row["relative__residences__country__code"]: row["n"]
            for row in Relationship.objects.filter(
                person__in=public_people, relative__residences__until__isnull=True
            )
            .values("relative__residences__country__code")
            .annotate(n=Count("person", distinct=True))
            .order_by()
        },
        "by_organization": {
            row["slug"]: row["n"]
            for row in Organization.objects.annotate(
                n=Count("cases", filter=organization_public)
            ).values("slug", "n")
        },
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
