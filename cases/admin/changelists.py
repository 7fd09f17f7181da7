"""The case list's filters and search."""

from django.contrib import admin
from django.db.models import Max, Min, Q
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Case,
)
from cases.search import name_matches
from orgs.access import (
    organizations_for,
)


class OrganizationListFilter(admin.SimpleListFilter):
    title = _("organization")
    parameter_name = "organization"

    def lookups(self, request, model_admin):
        return [(str(org.pk), org.name) for org in organizations_for(request.user)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit() or len(value) > 18:
            return queryset.none()
        return queryset.filter(organization_id=int(value))


class DetentionYearListFilter(admin.SimpleListFilter):
    title = _("year of detention")
    parameter_name = "detention_year"

    def lookups(self, request, model_admin):
        # The span of years over all cases: two reads at the ends of the detention_year index,
        # where a DISTINCT over a group's cases would scan them all on every page. A year is
        # no secret; which group holds cases in it is not shown.
        span = Case.objects.aggregate(first=Min("detention_year"), last=Max("detention_year"))
        if span["first"] is None:
            return []
        return [(str(year), str(year)) for year in range(span["last"], span["first"] - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit() or len(value) > 4:
            return queryset.none()
        return queryset.filter(detention_year=int(value))


def search_cases(queryset, term, *, path):
    """Any name in any script (on the folded search key), or an entry number ("#123")."""
    term = term.strip()
    if not term:
        return queryset
    condition = Q(name_matches(term, path=path))
    number = term.removeprefix("#").strip()
    if number.isdigit() and len(number) <= 18:
        condition |= Q(entry_number=int(number))
    return queryset.filter(condition)
