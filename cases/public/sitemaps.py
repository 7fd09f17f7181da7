"""The sitemap: the public pages, places, the facilities public entries name, and every public
entry, in every language, read from the public entries only."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from cases.models import Facility, Prefecture, PublicEntry
from cases.public import places
from orgs.models import Organization


class LanguagesSitemap(Sitemap):
    """Every page once per language, each listing its versions in the other languages
    (hreflang alternates) and the address without a prefix as x-default."""

    i18n = True
    alternates = True
    x_default = True


class EntrySitemap(LanguagesSitemap):
    changefreq = "monthly"
    # Addresses per sitemap page: each entry counts once per language.
    limit = 12000

    def items(self) -> QuerySet[PublicEntry]:
        return PublicEntry.objects.only("entry_number", "published_at").order_by("entry_number")

    def location(self, item: PublicEntry) -> str:
        return reverse("cases:case", kwargs={"entry_number": item.entry_number})

    def lastmod(self, item: PublicEntry):
        return item.published_at


class PageSitemap(LanguagesSitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "home",
            "cases:list",
            "cases:methodology",
            "cases:figures",
            "cases:organizations",
            "cases:countries",
            "cases:open_data",
            "cases:places",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class OrganizationSitemap(LanguagesSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Organization]:
        return Organization.objects.only("slug").order_by("slug")

    def location(self, item: Organization) -> str:
        return reverse("cases:organization", kwargs={"slug": item.slug})


class PlaceSitemap(LanguagesSitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return list(Prefecture.values)

    def location(self, item: str) -> str:
        return places.place_url(item)


class FacilitySitemap(LanguagesSitemap):
    """Facilities that a public entry names: the others have no public page."""

    changefreq = "weekly"

    def items(self) -> QuerySet[Facility]:
        return places.public_facilities().only("pk").order_by("pk")

    def location(self, item: Facility) -> str:
        return places.facility_url(item.pk)


SITEMAPS = {
    "pages": PageSitemap,
    "organizations": OrganizationSitemap,
    "places": PlaceSitemap,
    "facilities": FacilitySitemap,
    "entries": EntrySitemap,
}
