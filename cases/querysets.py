"""Read rules, in one place: what the public may see, and what each member may see.

Every list, page, autocomplete, choice of a related field and file download asks these
querysets; the roles themselves live in orgs.access.
"""

import datetime

from django.apps import apps
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections, models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.expressions import RawSQL

from cases.names import search_key
from cases.public.allowlist import public_columns
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

    def with_everything(self, *, public: bool = False) -> "CaseQuerySet":
        """Each case with everything it holds: names, citizenships, timeline, testimonies,
        sources, relatives, advocacy actions and consent, in a fixed number of queries whatever
        their number. For a case's page, its dossier and its UN submission.

        With `public`, only what a public page may show is loaded: the allowlisted columns of
        names, public testimonies and sources, public actions; nothing joined beyond what the
        queryset (the public rows of cases.public.records) already selects.
        """
        related = self._related_model
        Person = related(self.model, "person")
        PersonName = related(Person, "names")
        Citizenship = related(Person, "citizenships")
        Relationship = related(Person, "relationships")
        CaseEvent = related(self.model, "events")
        Testimony = related(self.model, "testimonies")
        Source = related(self.model, "sources")
        AdvocacyAction = related(self.model, "advocacy_actions")

        # Ordered by the parent's key, not by "person" or "case" as the models are: that would
        # join the parent's table to sort by its own ordering.
        names = PersonName.objects.order_by("person_id", "kind", "script", "pk")
        citizenships = Citizenship.objects.select_related("country")
        events = CaseEvent.objects.select_related("facility").order_by(
            "case_id", "date_start", "pk"
        )
        testimonies = Testimony.objects.order_by("case_id", "given_on", "pk")
        sources = Source.objects.order_by("case_id", "pk")
        actions = AdvocacyAction.objects.select_related("organization").order_by("-date")
        queryset = self
        if public:
            names = names.only("person_id", *public_columns("cases.personname"))
            testimonies = testimonies.public()
            sources = sources.public().order_by("case_id", "published_on", "pk")
            actions = actions.filter(is_public=True)
        else:
            testimonies = testimonies.select_related("testifier").prefetch_related(
                Prefetch("testifier__names", queryset=names)
            )
            queryset = queryset.select_related(
                "person__family", "organization__country", "consent__given_by"
            ).prefetch_related(Prefetch("consent__given_by__names", queryset=names))
        relationships = Relationship.objects.select_related("relative").prefetch_related(
            Prefetch("relative__names", queryset=names),
            Prefetch("relative__citizenships", queryset=citizenships),
        )
        return queryset.prefetch_related(
            Prefetch("person__names", queryset=names),
            Prefetch("person__citizenships", queryset=citizenships),
            Prefetch("events", queryset=events),
            Prefetch("testimonies", queryset=testimonies),
            Prefetch("sources", queryset=sources),
            Prefetch("person__relationships", queryset=relationships),
            Prefetch("advocacy_actions", queryset=actions),
        )

    def refresh_detention_years(self, *, created_at: datetime.datetime | None = None) -> int:
        """Set `detention_year` of these cases from their timelines in one UPDATE (see
        Case.detention_year_expression): for writes that add cases and events in bulk.

        With `created_at`, the history rows that bulk write put down for these cases at that
        moment get the year too, so that the history shows each case as it was created.
        """
        expression = self.model.detention_year_expression
        if created_at is not None:
            self.model.history.filter(
                id__in=self.values("pk"), history_type="+", history_date=created_at
            ).update(detention_year=expression("id"))
        return self.update(detention_year=expression())

    @staticmethod
    def _related_model(model: type[models.Model], name: str) -> type[models.Model]:
        # Through the relations rather than an import: the models import this module.
        return model._meta.get_field(name).related_model


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
        ties = (
            Case.objects.filter(person=person, organization__in=groups)
            .values("pk")
            .union(
                Testimony.objects.filter(testifier=person, case__organization__in=groups).values(
                    "pk"
                ),
                Consent.objects.filter(given_by=person, case__organization__in=groups).values("pk"),
                Relationship.objects.filter(
                    relative=person, person__case__organization__in=groups
                ).values("pk"),
                all=True,
            )
        )
        # One correlated EXISTS over the four ties, probed person by person through their
        # indexes: a list of a large group's people stops after the page's first rows, and
        # checking one person (a change page, a choice) is a few index probes. Four EXISTS
        # joined by OR let PostgreSQL hash each tie over every case of the group before the
        # first row (half a second for a group of 66,000 cases); a UNION cannot be hashed so.
        return self.filter(Q(organization__in=groups) | Exists(ties))


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

    def search(self, text: str, *, keys: list[int] | None = None):
        """Entries whose names match every word of `text`, in any script or spelling.

        Only named entries carry a search document, so a name never finds an anonymous entry.
        On PostgreSQL a word also matches a similar word (pg_trgm word similarity on a GIN
        trigram index), which finds misspellings the folding does not merge; the closest
        spellings come first. Elsewhere each word must be contained in a spelling key.

        On PostgreSQL the matching entries are looked up once, here, and the queryset holds
        their keys: a list page asks for the page, the count and the counts beside each filter,
        and each would otherwise match every document again (see `_search_lookup`). `keys` are
        those of an earlier `search_keys(text)`, for a caller that filters several querysets by
        the same words.
        """
        words = search_key(text).split()
        if not words:
            return self.none()
        if connections[self.db].vendor != "postgresql":
            queryset = self
            for word in words:
                queryset = queryset.filter(search_document__contains=word)
            return queryset
        if keys is None:
            keys = self.search_keys(text)
        if len(keys) <= self.MATCHES_CARRIED:
            matches = RawSQL("SELECT unnest(%s::bigint[])", [keys])
        else:
            # A name so common (or a word so short) that nearly everyone matches: each query
            # asks the look-up itself rather than carry a list of every key.
            matches = RawSQL(*self._search_lookup(words))
        return (
            self.filter(pk__in=matches)
            .annotate(search_rank=TrigramWordSimilarity(" ".join(words), "search_document"))
            .order_by("-search_rank", "-entry_number")
        )

    # The most keys of matching entries that the queries of a search page carry as a list.
    MATCHES_CARRIED = 5000

    def search_keys(self, text: str) -> list[int] | None:
        """The keys of every public entry whose search document holds each word of `text`, as
        it is typed or, for a word of four letters or more, as a similar word (short words are
        too unspecific for similarity: they must appear as they are). PostgreSQL only: None
        elsewhere, where `search` filters by the words themselves."""
        database = connections[self.db]
        words = search_key(text).split()
        if database.vendor != "postgresql" or not words:
            return None
        with database.cursor() as cursor:
            cursor.execute(*self._search_lookup(words))
            return [row[0] for row in cursor.fetchall()]

    def _search_lookup(self, words: list[str]) -> tuple[str, list[str]]:
        """The SQL (PostgreSQL) and parameters of the keys of the entries matching `words`."""
        table = self.model._meta.db_table
        # Word by word, each among the entries the words before it found: the longest word
        # first, as the likeliest to be rare, so that a full name costs about what its rarer
        # part costs. Only the first word asks the whole table (through the trigram index, once
        # per condition: `LIKE OR %>` in one WHERE made PostgreSQL compute the similarity of
        # every document).
        steps, params = [], []
        for n, word in enumerate(sorted(words, key=len, reverse=True)):
            escaped = connections[self.db].ops.prep_for_like_query(word)
            similar = len(word) >= 4
            if n == 0:
                select = f"SELECT id FROM {table} WHERE search_document LIKE %s"
                if similar:
                    select += f" UNION SELECT id FROM {table} WHERE search_document %%> %s"
            else:
                condition = "search_document LIKE %s" + (
                    " OR search_document %%> %s" if similar else ""
                )
                select = (
                    f"SELECT id FROM {table} WHERE id IN (SELECT id FROM found_{n - 1}) "
                    f"AND ({condition})"
                )
            params.extend([f"%{escaped}%", word] if similar else [f"%{escaped}%"])
            steps.append(f"found_{n} AS MATERIALIZED ({select})")
        return f"WITH {', '.join(steps)} SELECT id FROM found_{len(steps) - 1}", params
