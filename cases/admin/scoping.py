"""What a member may see in the admin: scoped querysets, choices and inlines."""

import dataclasses

from simple_history.template_utils import HistoricalRecordContextHelper

from cases.admin.widgets import BatchedAutocompleteSelect
from cases.models import Case, Person
from orgs.access import (
    ALL_ROLES,
    OrganizationScopedAdmin,
    is_site_staff,
    only_organization,
    organizations_for,
)
from orgs.models import Organization

# --- what a member may see ---------------------------------------------------------------


def scope_related_choices(request, db_field, formfield):
    """Limit a foreign-key or many-to-many field to what the user may see, by the same read
    rule as the lists and autocompletes (the model's `visible_to`): a forged POST with another
    group's id is then refused as an invalid choice."""
    if formfield is None or is_site_staff(request.user):
        return formfield
    model = db_field.remote_field.model
    if model is Organization:
        formfield.queryset = organizations_for(request.user)
    elif hasattr(model._default_manager, "visible_to"):
        formfield.queryset = model._default_manager.visible_to(request.user)
    return formfield


class ScopedChoicesMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = BatchedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return scope_related_choices(request, db_field, field)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return scope_related_choices(request, db_field, field)


class HeldByOrganizationMixin:
    """For records a group holds (people, families): a member chooses the group when adding one
    (filled in for a member of one group), and only site staff see or change it afterwards, so
    that the page of a relative on one group's case does not say which other group holds them."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "organization" not in initial:
            organization = only_organization(request.user)
            if organization is not None:
                initial["organization"] = organization.pk
        return initial

    def get_exclude(self, request, obj=None):
        exclude = super().get_exclude(request, obj) or ()
        if obj is not None and not is_site_staff(request.user):
            return (*exclude, "organization")
        return exclude

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and db_field.name == "organization":
            # A row without a group is for site staff only: a member's new row needs one.
            field.required = not is_site_staff(request.user)
        return field

    def get_historical_record_context_helper(self, request, historical_record):
        if is_site_staff(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return _WithoutHoldingGroup(self.model, historical_record)


class _WithoutHoldingGroup(HistoricalRecordContextHelper):
    """The history page's list of changes, without changes of the holding group."""

    def context_for_delta_changes(self, delta):
        changes = [change for change in delta.changes if change.field != "organization"]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))


class ScopedInline(ScopedChoicesMixin, OrganizationScopedAdmin):
    delete_roles = ALL_ROLES

    def may_touch(self, request, obj, roles):
        # `obj` is the parent, which the parent admin found through its scoped queryset (or
        # answered 404): checking it again here would cost a query per inline.
        return True


class CaseRowInline(ScopedInline):
    """Rows that hang from a case (events, testimonies, sources, consent)."""

    def scope_queryset(self, request, queryset):
        return queryset.filter(case__in=Case.objects.visible_to(request.user))


class PersonRowInline(ScopedInline):
    """Rows that hang from a person (names, relatives, citizenships, residences)."""

    def scope_queryset(self, request, queryset):
        return queryset.filter(person__in=Person.objects.visible_to(request.user))


class OnCasePageMixin:
    """An inline of rows that belong to the case's person, shown on the case page.

    Django's inlines need a foreign key to the page's model; these point at Person, so the
    inline is built for Person and CaseAdmin.get_formset_kwargs hands it the case's person.
    """

    def __init__(self, parent_model, admin_site):
        super().__init__(Person, admin_site)
