"""Read rules for cases, in one place: what the public may see, what a member may see."""

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, models

from cases.names import search_key


class CaseQuerySet(models.QuerySet):
    def public(self):
        """Cases the public sees: those with a public entry, which a reviewer published and
        which a withdrawal of consent or of the case deletes at once."""
        return self.filter(public_entry__isnull=False)

    def for_organizations(self, organizations):
        return self.filter(organization__in=organizations)

    def visible_to(self, user):
        """Cases a signed-in user may work on: site staff see all, members their groups' cases."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_all_organizations:
            return self
        # A subquery rather than a join: no duplicate rows, no DISTINCT over 100,000 cases.
        return self.filter(organization__in=user.memberships.values("organization"))


class PublicEntryQuerySet(models.QuerySet):
    """Read rules of the public record: the only rows the public site reads."""

    def named(self):
        """Entries whose consent shows the person's name."""
        return self.exclude(identity_level="anonymous")

    def with_country(self, relation: str, code: str):
        return self.filter(countries__relation=relation, countries__country_code=code)

    def search(self, text: str):
        """Entries whose names match every word of `text`, in any script or spelling.

        Only named entries carry a search document, so a name never finds an anonymous entry.
        On PostgreSQL a word also matches a similar word (pg_trgm word similarity on a GIN
        trigram index), which finds misspellings the folding does not merge; the closest
        spellings come first. Elsewhere each word must be contained in a spelling key.
        """
        words = search_key(text).split()
        if not words:
            return self.none()
        queryset = self
        postgres = connection.vendor == "postgresql"
        for word in words:
            condition = models.Q(search_document__contains=word)
            if postgres and len(word) >= 4:
                # Short words are too unspecific for similarity: they must appear as they are.
                condition |= models.Q(search_document__trigram_word_similar=word)
            queryset = queryset.filter(condition)
        if postgres:
            queryset = queryset.annotate(
                search_rank=TrigramWordSimilarity(" ".join(words), "search_document")
            ).order_by("-search_rank", "-entry_number")
        return queryset
