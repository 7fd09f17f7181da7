"""The case list: its rows, filters and search."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import BooleanField, ExpressionWrapper, Max, Min, Q
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


class CaseChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)
        # Whether each case of the page is on the public site: a join on the entry's unique
        # case key, for the rows of the page only, in place of get_queryset's EXISTS (which
        # suits one case). With a large group's cases to choose from, PostgreSQL answered the
        # EXISTS by hashing every public entry (a scan of the table) before the first row; the
        # count needs neither.
        self.result_list = self.result_list.annotate(
            on_site=ExpressionWrapper(Q(public_entry__isnull=False), output_field=BooleanField())
        ).defer(*self.NOT_LISTED)

    # Private fields that no column of the list shows: never read (nor decrypted) for it.
    NOT_LISTED = (
        "notes",
        "person__prc_id_number",
        "person__passport_numbers",
        "person__contact_details",
        "person__notes",
        "consent__notes",
        "consent__withdrawal_notes",
    )
