"""Atom feeds of newly published entries and revisions, for all groups and per group.

Read from the public entries only, through the same row the list shows: an anonymous entry's
item names nobody.
"""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext, gettext_lazy

from cases.models import PublicEntry
from cases.public import records as public
from orgs.models import Organization

FEED_LENGTH = 50


class NewEntriesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("casetracker: newly published entries and revisions")
    subtitle = gettext_lazy(
        "Records of people detained in Xinjiang, published with their families' consent."
    )

    def link(self) -> str:
        return reverse("cases:list")

    def entries(self) -> QuerySet[PublicEntry]:
        return public.public_entries()

    def items(self, obj: Any = None) -> list[dict[str, Any]]:
        entries = self.entries() if obj is None else self.entries().filter(organization=obj)
        return [
            public.entry_row(entry)
            for entry in entries.order_by("-published_at", "-entry_number")[:FEED_LENGTH]
        ]

    def item_title(self, item: dict[str, Any]) -> str:
        title = public.entry_title(item)
        if item["published_at"] and item["updated_at"] != item["published_at"]:
            return gettext("Revised: %(title)s") % {"title": title}
        return title

    def item_description(self, item: dict[str, Any]) -> str:
        # The summary is HTML to feed readers: escape what the entry says.
        return escape(public.entry_description(item))

    def item_link(self, item: dict[str, Any]) -> str:
        return item["url"]

    def item_guid(self, item: dict[str, Any]) -> str:
        # Each revision is an item of its own, so that a reader sees it.
        return f"{item['url']}#revision-{item['updated_at'].isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: dict[str, Any]):
        return item["updated_at"]

    def item_updateddate(self, item: dict[str, Any]):
        return item["updated_at"]

    def item_author_name(self, item: dict[str, Any]) -> str:
        return item["organization"]["name"]


class OrganizationEntriesFeed(NewEntriesFeed):
    def get_object(self, request, slug: str) -> Organization:
        return get_object_or_404(Organization, slug=slug)

    def title(self, obj: Organization) -> str:
        return gettext("casetracker: entries documented by %(group)s") % {
            "group": public.public_organization(obj)["name"]
        }

    def link(self, obj: Organization) -> str:
        return reverse("cases:organization", kwargs={"slug": obj.slug})

    def items(self, obj: Organization) -> list[dict[str, Any]]:
        return super().items(obj)
