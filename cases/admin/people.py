"""People, facilities and families in the admin, scoped like the cases that hold them."""

from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.core.paginator import Paginator
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin.duplicates import DuplicateWarningAdmin
from cases.admin.inlines import (
    CitizenshipInline,
    PersonNameInline,
    RelationshipInline,
    ResidenceInline,
)
from cases.admin.scoping import ScopedChoicesMixin, visible_people
from cases.admin.widgets import SERVED_FILE_WIDGETS
from cases.models import (
    Facility,
    Family,
    Person,
)
from cases.numbers import parse_whole_number
from cases.search import name_matches
from orgs.access import (
    ScopedModelAdmin,
    is_site_staff,
)
from orgs.models import Membership

# --- people and the rest ------------------------------------------------------------------


class LookaheadPaginator(Paginator):
    """Counts only as far as the page after the one shown.

    A volunteer of a large group may see 100,000 people, and telling who is visible is a
    check over several tables per person: an exact count would cost seconds on every page.
    """

    counts_ahead_only = True

    def __init__(self, *args, page_number=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_number = page_number

    @cached_property
    def _ahead(self):
        offset = (self.page_number - 1) * self.per_page
        rows = self.object_list.values_list("pk", flat=True)[offset : offset + self.per_page + 1]
        return offset, list(rows)

    @cached_property
    def count(self):
        offset, rows = self._ahead
        return offset + len(rows)

    def page(self, number):
        number = self.validate_number(number)
        if number != self.page_number:
            return super().page(number)
        # The rows are known by now: fetch them by primary key instead of running the
        # visibility check over the table a second time.
        pks = self._ahead[1][: self.per_page]
        return self._get_page(self.object_list.filter(pk__in=pks), number, self)


@admin.register(Person)
class PersonAdmin(DuplicateWarningAdmin, ScopedChoicesMixin, ScopedModelAdmin, SimpleHistoryAdmin):
    change_form_template = "admin/cases/person/change_form.html"
    list_display = ("name", "gender", "ethnicity", "birth_year", "hometown_prefecture", "case")
    list_filter = ("ethnicity", "gender", "hometown_prefecture")
    list_select_related = ("case",)
    search_fields = ("names__search_key",)
    search_help_text = _("A name in any script or spelling.")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # "Show all" would list every visible person at once.
    list_max_show_all = 0
    autocomplete_fields = ["family"]
    readonly_fields = ("case_link",)
    formfield_overrides = SERVED_FILE_WIDGETS
    inlines = [PersonNameInline, CitizenshipInline, ResidenceInline, RelationshipInline]

    def scope_queryset(self, request, queryset):
        return queryset.filter(pk__in=visible_people(request.user).values("pk"))

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(name_matches(search_term, path="pk")), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if is_site_staff(request.user):
            return super().get_paginator(
                request, queryset, per_page, orphans, allow_empty_first_page
            )
        page_number = parse_whole_number(request.GET.get(PAGE_VAR), max_digits=6) or 1
        return LookaheadPaginator(
            queryset, per_page, orphans, allow_empty_first_page, page_number=page_number
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, PersonNameInline):
            self.names_formset_kwargs(request, kwargs)
        return kwargs

    @admin.display(description=_("name"))
    def name(self, person):
        return person.display_name or str(person)

    @admin.display(description=_("case"))
    def case_link(self, person):
        case = getattr(person, "case", None) if person.pk else None
        if case is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:cases_case_change", args=[case.pk]), case
        )


@admin.register(Facility)
class FacilityAdmin(ScopedModelAdmin, admin.ModelAdmin):
    """Facilities are shared reference data: every member may see, add and correct them."""

    list_display = ("name", "name_zh", "kind", "prefecture", "county")
    list_filter = ("kind", "prefecture")
    search_fields = ("name", "name_zh", "county")

    def scope_queryset(self, request, queryset):
        return queryset


@admin.register(Family)
class FamilyAdmin(ScopedChoicesMixin, ScopedModelAdmin, SimpleHistoryAdmin):
    search_fields = ("label",)
    list_display = ("label", "created_at")

    def scope_queryset(self, request, queryset):
        colleagues = Membership.objects.filter(
            organization__in=request.user.memberships.values("organization")
        ).values("user")
        return queryset.filter(
            Q(pk__in=visible_people(request.user).exclude(family=None).values("family"))
            | Q(
                pk__in=Family.history.filter(history_type="+", history_user__in=colleagues).values(
                    "id"
                )
            )
        )


# Submissions: the queue's admin is cases.admin.submissions (registered once, there).
