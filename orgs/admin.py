"""Organizations, members and roles in the admin.

A coordinator manages their group: adds accounts for new volunteers, gives and changes roles
(a Membership is all it takes: orgs.access reads roles from it), and records the
group's advocacy actions. Site staff manage everything, including new organizations.

A coordinator never chooses or sets a member's password: a new account has none, and the
coordinator gets one-time codes to hand over (orgs.accounts), with which the member chooses
their password and sets up their phone.
"""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from orgs.access import (
    ALL_ROLES,
    MANAGING_ROLES,
    OrganizationScopedAdmin,
    ScopedModelAdmin,
    SiteStaffReadOnlyAdmin,
    is_site_staff,
    organizations_for,
)
from orgs.account_views import handover
from orgs.accounts import issue_code, managed_users
from orgs.models import (
    AccountCode,
    AdvocacyAction,
    AuditEvent,
    Country,
    Membership,
    Organization,
    User,
)

# Roles come from memberships, not from Django groups: hide the groups page so nobody gives
# access by hand there.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def let_sign_in(user):
    """A member needs `is_staff` to open the admin; giving a membership is enough for it."""
    if not user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True


def coordinated(user):
    return organizations_for(user, *MANAGING_ROLES)


class CoordinatedByOrganization:
    """Rows that belong to one organization (`organization_field`): members of that
    organization may see them, its coordinators may change them."""

    organization_field = "organization"
    view_roles = ALL_ROLES
    add_roles = change_roles = delete_roles = MANAGING_ROLES

    def scope_queryset(self, request, queryset):
        return queryset.filter(
            **{f"{self.organization_field}__in": organizations_for(request.user)}
        )

    def may_touch(self, request, obj, roles):
        organization_id = getattr(obj, f"{self.organization_field}_id", None)
        if organization_id is None:
            return True
        return organizations_for(request.user, *roles).filter(pk=organization_id).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not is_site_staff(request.user):
            if db_field.remote_field.model is Organization:
                field.queryset = coordinated(request.user)
            elif db_field.remote_field.model is User:
                field.queryset = managed_users(request.user)
        return field


class MemberCreationForm(forms.ModelForm):
    """A coordinator's new account: a name and no password. The member chooses their password
    with the one-time code the coordinator hands over."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email")

    def clean_username(self):
        username = self.cleaned_data["username"]
        # As Django's own creation form: "Aigul" and "aigul" would be two accounts otherwise.
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("A user with that username already exists."))
        return username

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class MembershipInline(CoordinatedByOrganization, OrganizationScopedAdmin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]

    def get_min_num(self, request, obj=None, **kwargs):
        # A coordinator's new account must belong to their group, or it would vanish from
        # their view the moment it is saved.
        return 0 if is_site_staff(request.user) else 1

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None else 1


@admin.register(User)
class UserAdmin(ScopedModelAdmin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Organizations"), {"fields": ("is_site_staff",)}),
    )
    # No password field: a coordinator neither sees the hash nor reaches the form that sets it.
    coordinator_fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Access"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    coordinator_add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name", "email")}),
    )
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_site_staff")
    list_filter = ("is_staff", "is_site_staff", "is_superuser", "is_active", "is_demo")
    inlines = [MembershipInline]
    view_roles = add_roles = change_roles = MANAGING_ROLES
    delete_roles = ()

    def scope_queryset(self, request, queryset):
        return queryset.filter(pk__in=managed_users(request.user).values("pk"))

    def get_fieldsets(self, request, obj=None):
        if not is_site_staff(request.user):
            return self.coordinator_fieldsets if obj is not None else self.coordinator_add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not is_site_staff(request.user):
            kwargs["form"] = MemberCreationForm
        return super().get_form(request, obj, **kwargs)

    def user_change_password(self, request, id, form_url=""):
        # Coordinators send a reset (orgs.account_views) instead: whoever chooses a member's
        # password can sign in as them. Site staff keep the form, but a superuser's password is
        # only a superuser's to set.
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404(_("No such record."))
        actor = request.user
        if not is_site_staff(actor) or (user.is_superuser and not actor.is_superuser):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def response_add(self, request, obj, post_url_continue=None):
        # The new member cannot sign in without these: an enrolment code for their phone, and
        # (unless site staff gave a password) a code to choose their password. Shown once.
        codes = []
        if not obj.has_usable_password():
            codes.append(
                issue_code(
                    member=obj,
                    purpose=AccountCode.Purpose.PASSWORD,
                    actor=request.user,
                    request=request,
                )
            )
        codes.append(
            issue_code(
                member=obj,
                purpose=AccountCode.Purpose.ENROLMENT,
                actor=request.user,
                request=request,
            )
        )
        return handover(
            request,
            member=obj,
            codes=codes,
            next_url=reverse("admin:orgs_user_change", args=[obj.pk]),
        )

    def get_readonly_fields(self, request, obj=None):
        if is_site_staff(request.user):
            return super().get_readonly_fields(request, obj)
        return ("last_login", "date_joined")

    def get_list_filter(self, request):
        if is_site_staff(request.user):
            return self.list_filter
        return ("is_active",)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.memberships.exists():
            let_sign_in(form.instance)


@admin.register(Country)
class CountryAdmin(ScopedModelAdmin, admin.ModelAdmin):
    list_display = ("code", "name", "name_ru")
    search_fields = ("code", "name", "name_ru", "name_local")
    add_roles = change_roles = delete_roles = ()

    def scope_queryset(self, request, queryset):
        return queryset


@admin.register(Organization)
class OrganizationAdmin(CoordinatedByOrganization, ScopedModelAdmin, admin.ModelAdmin):
    list_display = ("name", "country", "city", "kind")
    list_filter = ("kind", "country")
    list_select_related = ("country",)
    search_fields = ("name", "city")
    prepopulated_fields = {"slug": ("name",)}
    add_roles = delete_roles = ()

    def scope_queryset(self, request, queryset):
        return queryset.filter(pk__in=organizations_for(request.user).values("pk"))

    def may_touch(self, request, obj, roles):
        return organizations_for(request.user, *roles).filter(pk=obj.pk).exists()

    def get_readonly_fields(self, request, obj=None):
        return () if is_site_staff(request.user) else ("slug", "country")

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if is_site_staff(request.user) else {}


@admin.register(Membership)
class MembershipAdmin(CoordinatedByOrganization, ScopedModelAdmin, SimpleHistoryAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "organization")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ["user", "organization"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        let_sign_in(obj.user)


@admin.register(AdvocacyAction)
class AdvocacyActionAdmin(CoordinatedByOrganization, ScopedModelAdmin, SimpleHistoryAdmin):
    list_display = ("title", "organization", "kind", "date", "outcome", "is_public")
    list_filter = ("kind", "outcome", "is_public")
    list_select_related = ("organization",)
    search_fields = ("title", "reference_number", "addressee")
    autocomplete_fields = ["organization", "cases"]
    date_hierarchy = "date"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.name == "cases":
            # Named by string: orgs never imports cases.
            field.queryset = apps.get_model("cases", "Case").objects.visible_to(request.user)
        return field


# The audit log: site staff read it; nobody adds, changes or deletes an event.


@admin.register(AuditEvent)
class AuditEventAdmin(SiteStaffReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip_address", "target")
    list_filter = ("kind",)
    search_fields = ("username", "target")
    date_hierarchy = "at"
    list_select_related = ("user",)
    fields = ("at", "kind", "user", "username", "ip_address", "target", "details")
    readonly_fields = fields
    show_full_result_count = False
