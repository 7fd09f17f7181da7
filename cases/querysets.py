"""Read rules, in one place: what the public may see, and what each member may see.

Every list, page, autocomplete, choice of a related field and file download asks these
querysets; the roles themselves live in orgs.access.
"""

from django.apps import apps
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q

from cases.names import search_key
from orgs.access import is_site_staff, may_handle_submissions, member_organization_ids


def _signed_in(user) -> bool:
    return user.is_authenticated and user.is_active


class CaseQuerySet(models.QuerySet):
    def public(self):
        """Cases the public sees: those with a public entry, which a reviewer published and
        which a withdrawal of consent or of the case deletes at once."""
        return self.filter(public_entry__isnull=False)

    def for_organizations(self, organizations):
        return self.filter(organization__in=organizations)

    def visible_to(self, user):
        """Cases a signed-in user may work on: site staff see all, members their groups' cases."""
        if not _signed_in(user):
            return self.none()
        if user.sees_all_organizations:
            return self
        # A subquery rather than a join: no duplicate rows, no DISTINCT over 100,000 cases.
        return self.filter(organization__in=user.memberships.values("organization"))


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People a member may see: those their groups hold, and those tied to a case of their
        groups (the detained person, a testifier, whoever gave consent, a relative of the
        detained person). Nobody else: a person with no group is for site staff only."""
        if not _signed_in(user):
            return self.none()
        if is_site_staff(user):
            return self
        groups = member_organization_ids(user)
        Case = apps.get_model("cases", "Case")
        Testimony = apps.get_model("cases", "Testimony")
        Consent = apps.get_model("cases", "Consent")
        Relationship = apps.get_model("cases", "Relationship")
        person = OuterRef("pk")
        # Correlated EXISTS: checking one person (a change page, a choice, an autocomplete label)
        # is a few index probes, where IN-subqueries would first collect every id of the group.
        return self.filter(
            Q(organization__in=groups)
            | Exists(Case.objects.filter(person=person, organization__in=groups))
            | Exists(Testimony.objects.filter(testifier=person, case__organization__in=groups))
            | Exists(Consent.objects.filter(given_by=person, case__organization__in=groups))
            | Exists(
                Relationship.objects.filter(relative=person, person__case__organization__in=groups)
            )
        )


class FamilyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Families a member may see: those their groups hold, and those of a person they may
        see."""
        if not _signed_in(user):
            return self.none()
        if is_site_staff(user):
            return self
        Person = apps.get_model("cases", "Person")
        members = Person.objects.visible_to(user).filter(family=OuterRef("pk"))
        return self.filter(Q(organization__in=member_organization_ids(user)) | Exists(members))


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """New submissions are open to everyone who works the queue; once handled, a
        submission belongs to the group whose case it became part of."""
        if not may_handle_submissions(user):
            return self.none()
        if is_site_staff(user):
            return self
        Case = apps.get_model("cases", "Case")
        return self.filter(
            Q(state=self.model.State.NEW) | Q(case__in=Case.objects.visible_to(user))
        )


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
