"""The rows a case page holds: names, relatives, events, testimonies, sources and consent."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.admin.duplicates import PersonNameFormSet
from cases.admin.scoping import CaseRowInline, OnCasePageMixin, PersonRowInline
from cases.admin.widgets import SERVED_FILE_WIDGETS, BatchedLabelsFormSet
from cases.models import (
    CaseEvent,
    Citizenship,
    Consent,
    PersonName,
    Relationship,
    Residence,
    Source,
    Testimony,
)

# --- inlines -----------------------------------------------------------------------------


class PersonNameInline(PersonRowInline, admin.TabularInline):
    model = PersonName
    formset = PersonNameFormSet
    extra = 1
    fields = ("value", "script", "language", "kind")


class CaseNameInline(OnCasePageMixin, PersonNameInline):
    verbose_name_plural = _("names of the detained person (in every script)")


class CitizenshipInline(PersonRowInline, admin.TabularInline):
    model = Citizenship
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["country"]


class ResidenceInline(PersonRowInline, admin.TabularInline):
    model = Residence
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["country"]


class RelationshipInline(PersonRowInline, admin.TabularInline):
    model = Relationship
    formset = BatchedLabelsFormSet
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["relative"]
    verbose_name_plural = _("relatives")


class CaseRelationshipInline(OnCasePageMixin, RelationshipInline):
    verbose_name_plural = _("relatives of the detained person")


class CaseEventInline(CaseRowInline, admin.StackedInline):
    model = CaseEvent
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["facility"]
    fields = (
        ("kind", "facility", "place"),
        ("date_start", "date_start_precision"),
        ("date_end", "date_end_precision"),
        ("official_reason", "sentence_months"),
        "suspected_reasons",
        "description",
        "notes",
    )


class TestimonyInline(CaseRowInline, admin.StackedInline):
    model = Testimony
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["testifier"]
    formfield_overrides = SERVED_FILE_WIDGETS


class SourceInline(CaseRowInline, admin.StackedInline):
    model = Source
    extra = 0
    readonly_fields = ("sha256",)
    formfield_overrides = SERVED_FILE_WIDGETS


class ConsentInline(CaseRowInline, admin.StackedInline):
    model = Consent
    formset = BatchedLabelsFormSet
    extra = 0
    autocomplete_fields = ["given_by"]
    # Withdrawal is its own explicit action (the "Withdraw consent" button), recorded with who
    # and when; a checkbox here could be ticked by mistake or quietly unticked.
    readonly_fields = ("withdrawn_at",)
    # Consent is never deleted: deleting a withdrawn consent and adding a new one would put the
    # case back online without anyone noticing. A withdrawal stays on record.
    can_delete = False
    verbose_name_plural = _("consent of the family")
