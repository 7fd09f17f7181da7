"""Read rules for cases, in one place: what the public may see, what a member may see."""

from django.db import models


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
