"""Read rules for cases, in one place: what the public may see, what a member may see."""

import datetime

from django.db import models
from django.db.models import Prefetch

from cases.public.allowlist import public_columns


class CaseQuerySet(models.QuerySet):
    def public(self):
        """Cases the public may see: published, and the family's consent to publish stands.

        Withdrawing consent takes a case off the public site at once, whatever its state.
        """
        return self.filter(
            publication_state=self.model.PublicationState.PUBLISHED,
            consent__consent_to_publish=True,
            consent__withdrawn_at__isnull=True,
        )

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
