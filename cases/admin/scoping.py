"""What a member may see in the admin: scoped querysets, choices and inlines."""

from django.db.models import Exists, OuterRef

from cases.admin.widgets import BatchedAutocompleteSelect
from cases.models import (
    Case,
    Consent,
    Family,
    Person,
    Relationship,
    Testimony,
)
from orgs.access import (
    ALL_ROLES,
    OrganizationScopedAdmin,
    is_site_staff,
    member_organization_ids,
    organizations_for,
)
from orgs.models import Membership, Organization

# --- what a member may see ---------------------------------------------------------------


def visible_people(user):
    """People a member may see: those tied to a case of their groups (the detained person, a
    testifier, whoever gave consent, a relative), and those a member of their groups entered."""
    if is_site_staff(user):
        return Person.objects.all()
    groups = member_organization_ids(user)
    colleagues = Membership.objects.filter(organization__in=groups).values("user")
    person = OuterRef("pk")
    # Correlated EXISTS: checking one person (a change page, a choice, an autocomplete label)
    # is a few index probes, where IN-subqueries would first collect every id of the group.
    return Person.objects.filter(
        Exists(Case.objects.filter(person=person, organization__in=groups))
        | Exists(Testimony.objects.filter(testifier=person, case__organization__in=groups))
        | Exists(Consent.objects.filter(given_by=person, case__organization__in=groups))
        | Exists(
            Relationship.objects.filter(relative=person, person__case__organization__in=groups)
        )
        | Exists(Person.history.filter(id=person, history_type="+", history_user__in=colleagues))
    )


def scope_related_choices(request, db_field, formfield):
    """Limit a foreign-key or many-to-many field to what the user may see: a forged POST with
    another group's id is then refused as an invalid choice."""
    if formfield is None or is_site_staff(request.user):
        return formfield
    model = db_field.remote_field.model
    if model is Organization:
        formfield.queryset = organizations_for(request.user)
    elif model is Person:
        formfield.queryset = visible_people(request.user)
    elif model is Case:
        formfield.queryset = Case.objects.visible_to(request.user)
    elif model is Family:
        formfield.queryset = Family.objects.filter(
            pk__in=visible_people(request.user).exclude(family=None).values("family")
        )
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
        return queryset.filter(person__in=visible_people(request.user))


class OnCasePageMixin:
    """An inline of rows that belong to the case's person, shown on the case page.

    Django's inlines need a foreign key to the page's model; these point at Person, so the
    inline is built for Person and CaseAdmin.get_formset_kwargs hands it the case's person.
    """

    def __init__(self, parent_model, admin_site):
        super().__init__(Person, admin_site)
