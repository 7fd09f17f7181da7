"""The sitemap: the public pages and every public entry, read from the public entries only, in
every language."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from cases.models import PublicEntry
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
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class OrganizationSitemap(LanguagesSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Organization]:
        return Organization.objects.only("slug").order_by("slug")

    def location(self, item: Organization) -> str:
        return reverse("cases:organization", kwargs={"slug": item.slug})


SITEMAPS = {"pages": PageSitemap, "organizations": OrganizationSitemap, "entries": EntrySitemap}
