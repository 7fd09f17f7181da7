"""People, facilities and families in the admin, scoped like the cases that hold them."""

from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin.duplicates import DuplicateWarningAdmin
from cases.admin.inlines import (
    CitizenshipInline,
    PersonNameInline,
    RelationshipInline,
    ResidenceInline,
)
from cases.admin.scoping import (
    HeldByOrganizationMixin,
    ScopedChoicesMixin,
    ScopedInline,
)
from cases.admin.widgets import SERVED_FILE_WIDGETS
from cases.models import (
    Facility,
    FacilityNote,
    Family,
    Person,
    Relationship,
)
from cases.names import detect_script
from cases.numbers import parse_whole_number
from cases.search import name_matches
from orgs.access import (
    ALL_ROLES,
    FACILITY_EDITING_ROLES,
    ScopedModelAdmin,
    is_site_staff,
    may_edit_facilities,
    member_organization_ids,
    only_organization,
)

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


class LookaheadPagination:
    """A member's list of people or families pages without counting everything they see."""

    show_full_result_count = False
    # "Show all" would list every visible row at once.
    list_max_show_all = 0

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        if is_site_staff(request.user):
            return super().get_paginator(
                request, queryset, per_page, orphans, allow_empty_first_page
            )
        # The changelist's page is ?p=, the autocomplete's ?page=.
        page = request.GET.get(PAGE_VAR) or request.GET.get("page") or "1"
        page_number = int(page) if page.isdigit() and 0 < len(page) < 7 and int(page) > 0 else 1
        return LookaheadPaginator(
            queryset, per_page, orphans, allow_empty_first_page, page_number=page_number
        )


@admin.register(Person)
class PersonAdmin(
    LookaheadPagination,
    HeldByOrganizationMixin,
    DuplicateWarningAdmin,
    ScopedChoicesMixin,
    ScopedModelAdmin,
    SimpleHistoryAdmin,
):
    change_form_template = "admin/cases/person/change_form.html"

    class Media:
        js = ["casetracker/autocomplete.js"]

    list_display = ("name", "gender", "ethnicity", "birth_year", "hometown_prefecture", "case")
    list_filter = ("ethnicity", "gender", "hometown_prefecture")
    list_select_related = ("case",)
    search_fields = ("names__search_key",)
    search_help_text = _("A name in any script or spelling.")
    show_facets = admin.ShowFacets.NEVER
    autocomplete_fields = ["family"]
    readonly_fields = ("case_link",)
    formfield_overrides = SERVED_FILE_WIDGETS
    inlines = [PersonNameInline, CitizenshipInline, ResidenceInline, RelationshipInline]

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

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

    def autocomplete_queryset(self, request, queryset):
        relations = Prefetch(
            "relationships_as_relative",
            queryset=Relationship.objects.select_related("person__case").order_by("pk"),
        )
        return queryset.select_related("case__organization").prefetch_related(relations)

    def autocomplete_label(self, request, person, term: str) -> str:
        """A row of the person search: the names in the typed script first, then birth year,
        how they are related to a detained person, and their own case and group, but only a
        case of the user's own groups (the search must not tell whom another group holds)."""
        script = detect_script(term or "")
        names = sorted(person.names.all(), key=lambda n: (n.script != script, n.pk))
        parts = [" / ".join(n.value for n in names[:3]) or str(person)]
        if person.birth_year:
            parts.append(gettext("born %(year)s") % {"year": person.birth_year})
        own = None if is_site_staff(request.user) else set(member_organization_ids(request.user))
        for relation in person.relationships_as_relative.all()[:2]:
            case = getattr(relation.person, "case", None)
            if case is not None and (own is None or case.organization_id in own):
                parts.append(
                    gettext("%(relation)s of the person in %(case)s")
                    % {"relation": relation.get_kind_display(), "case": case}
                )
        case = getattr(person, "case", None)
        if case is not None and (own is None or case.organization_id in own):
            parts.append(f"{case} · {case.organization}")
        return " · ".join(parts)

    @admin.display(description=_("name"))
    def name(self, person):
        return person.display_name or str(person)

    @admin.display(description=pgettext_lazy("detention case", "case"))
    def case_link(self, person):
        case = getattr(person, "case", None) if person.pk else None
        if case is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:cases_case_change", args=[case.pk]), case
        )


class FacilityNoteInline(ScopedInline, admin.StackedInline):
    """Each group's private notes on a facility: its members read and write their own, and
    never see another group's."""

    model = FacilityNote
    extra = 0
    fields = ("organization", "text")

    def scope_queryset(self, request, queryset):
        return queryset.filter(organization__in=member_organization_ids(request.user))

    def get_queryset(self, request):
        # Each row's heading names its group.
        return super().get_queryset(request).select_related("organization")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "organization":
            # A member's note belongs to one of their groups; a note without one is staff's.
            field.required = not is_site_staff(request.user)
            field.initial = getattr(only_organization(request.user), "pk", None)
            # A member's few groups, read once for the page instead of once per note.
            field.choices = list(field.choices)
        return field


@admin.register(Facility)
class FacilityAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    """Facilities are shared reference data: every member sees and picks them, but a rename
    changes every group's published pages, so only coordinators and site staff add or change
    one, on record. Members may still save the page to write their group's private notes."""

    list_display = ("name", "name_zh", "kind", "prefecture", "county")
    list_filter = ("kind", "prefecture")
    search_fields = ("name", "name_zh", "county")
    inlines = [FacilityNoteInline]
    add_roles = FACILITY_EDITING_ROLES
    # Every member may open the page to write their notes; the facility's own fields stay
    # read-only for those who may not edit facilities (get_readonly_fields).
    change_roles = ALL_ROLES
    facility_fields = ("name", "name_zh", "kind", "prefecture", "county", "latitude", "longitude")

    def scope_queryset(self, request, queryset):
        return queryset

    def get_readonly_fields(self, request, obj=None):
        if may_edit_facilities(request.user):
            return super().get_readonly_fields(request, obj)
        return self.facility_fields

    def save_model(self, request, obj, form, change):
        # Not even an unchanged save (a new history record) from those who may not edit it.
        if may_edit_facilities(request.user):
            super().save_model(request, obj, form, change)


@admin.register(Family)
class FamilyAdmin(
    LookaheadPagination,
    HeldByOrganizationMixin,
    ScopedChoicesMixin,
    ScopedModelAdmin,
    SimpleHistoryAdmin,
):
    search_fields = ("label",)
    list_display = ("label", "created_at")

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)


# Submissions: the queue's admin is cases.admin.submissions (registered once, there).
