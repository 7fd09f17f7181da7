from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.imports.admin import CaseImportMixin
from cases.models import (
    Case,
    CaseEvent,
    Consent,
    Facility,
    Family,
    Person,
    PersonName,
    Source,
    Submission,
    Testimony,
)


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 1


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "gender", "ethnicity", "hometown_prefecture")
    list_filter = ("ethnicity", "gender", "hometown_prefecture")
    search_fields = ("names__search_key", "names__value")
    inlines = [PersonNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")


class CaseEventInline(admin.StackedInline):
    model = CaseEvent
    extra = 0
    autocomplete_fields = ["facility"]


class TestimonyInline(admin.StackedInline):
    model = Testimony
    extra = 0
    autocomplete_fields = ["testifier"]


class SourceInline(admin.StackedInline):
    model = Source
    extra = 0


class ConsentInline(admin.StackedInline):
    model = Consent
    extra = 0
    autocomplete_fields = ["given_by"]


@admin.register(Case)
class CaseAdmin(CaseImportMixin, SimpleHistoryAdmin):
    list_display = ("entry_number", "person", "status", "evidence_level", "publication_state")
    list_filter = ("status", "evidence_level", "publication_state", "organization")
    list_select_related = ("person", "organization")
    search_fields = ("=entry_number", "person__names__search_key", "person__names__value")
    autocomplete_fields = ["person", "organization"]
    inlines = [CaseEventInline, TestimonyInline, SourceInline, ConsentInline]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "prefecture", "county")
    list_filter = ("kind", "prefecture")
    search_fields = ("name", "name_zh", "county")


@admin.register(Family)
class FamilyAdmin(SimpleHistoryAdmin):
    search_fields = ("label",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("received_at", "state", "submitter_relationship", "language")
    list_filter = ("state",)
