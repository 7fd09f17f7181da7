"""The case list's filters and search."""

from django.contrib import admin
from django.db.models import Max, Min, Q
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Case,
)
from cases.numbers import parse_entry_number, parse_whole_number
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
        organization_id = parse_whole_number(value)
        if organization_id is None:
            return queryset.none()
        return queryset.filter(organization_id=organization_id)


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
        year = parse_whole_number(value, max_digits=4)
        if year is None:
            return queryset.none()
        return queryset.filter(detention_year=year)


def search_cases(queryset, term, *, path):
    """Any name in any script (on the folded search key), or an entry number ("#123")."""
    term = term.strip()
    if not term:
        return queryset
    condition = Q(name_matches(term, path=path))
    number = parse_entry_number(term)
    if number is not None:
        condition |= Q(entry_number=number)
    return queryset.filter(condition)
