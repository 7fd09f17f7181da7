"""Who may do what in the admin: roles come from orgs.Membership, never from Django groups.

A coordinator who adds a Membership gives that person access; nobody edits groups or model
permissions by hand. Every ModelAdmin that holds an organization's data uses
`OrganizationScopedAdmin`, which keeps each group's records away from the others: in lists,
change pages, history, autocomplete results, inlines and the choices of related fields.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from orgs.models import Membership, Organization

# The roles are Membership.Role; which role may do what is said here, once.
Role = Membership.Role
ALL_ROLES = tuple(Role)
# A membership holds one role per organization, and the coordinator leads the group: a
# coordinator may do what a reviewer may.
PUBLISHING_ROLES = (Role.REVIEWER, Role.COORDINATOR)
# Reports and exports over the group's data, and the public submission queue.
REPORT_ROLES = PUBLISHING_ROLES
SUBMISSION_QUEUE_ROLES = PUBLISHING_ROLES
# The group's members, roles and advocacy actions.
MANAGING_ROLES = (Role.COORDINATOR,)
# Facilities are shared by every group: renaming one changes other groups' published pages.
FACILITY_EDITING_ROLES = (Role.COORDINATOR,)


def is_site_staff(user) -> bool:
    return user.is_active and user.is_authenticated and user.sees_all_organizations


def roles_of(user) -> frozenset:
    """The roles a user holds in any organization, read once per user object (per request):
    the admin asks for permissions many times while it renders one page."""
    if not (user.is_active and user.is_authenticated):
        return frozenset()
    cached = getattr(user, "_casetracker_roles", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("role", flat=True))
        user._casetracker_roles = cached
    return cached


def member_organization_ids(user) -> list[int]:
    """The ids of the organizations a user is a member of, read once per user object."""
    if not (user.is_active and user.is_authenticated):
        return []
    cached = getattr(user, "_casetracker_organization_ids", None)
    if cached is None:
        cached = list(user.memberships.values_list("organization", flat=True))
        user._casetracker_organization_ids = cached
    return cached


def is_member(user, *roles) -> bool:
    """Whether the user holds one of `roles` (any role if none given) in some organization."""
    held = roles_of(user)
    return bool(held & set(roles)) if roles else bool(held)


def organizations_for(user, *roles):
    """The organizations a user works for with one of `roles`; all of them for site staff."""
    if is_site_staff(user):
        return Organization.objects.all()
    if not (user.is_active and user.is_authenticated):
        return Organization.objects.none()
    return user.organizations_with_role(*roles)


def only_organization(user):
    """The one organization a member works for, to fill in for them; None for site staff and
    for members of several groups, who choose."""
    if is_site_staff(user):
        return None
    organizations = list(organizations_for(user)[:2])
    return organizations[0] if len(organizations) == 1 else None


def may_handle_submissions(user) -> bool:
    """Site staff, and the coordinators and reviewers of a group, work the submission queue."""
    if not (user.is_active and user.is_authenticated and user.is_staff):
        return False
    return is_site_staff(user) or is_member(user, *SUBMISSION_QUEUE_ROLES)


def may_edit_facilities(user) -> bool:
    return is_site_staff(user) or is_member(user, *FACILITY_EDITING_ROLES)


class SiteStaffReadOnlyAdmin:
    """For records kept for the record (audit log, export log, lockouts): site staff read them,
    nobody adds, changes or deletes one in the admin."""

    def has_module_permission(self, request):
        return is_site_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_site_staff(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganizationScopedAdmin:
    """Mixin for a ModelAdmin or InlineModelAdmin whose rows belong to organizations.

    Subclasses say what a member may see with `scope_queryset(request, queryset)` and which
    roles may view, add, change and delete (`view_roles`, `add_roles`, ...). Site staff may do
    everything except what `site_staff_only` names.
    """

    view_roles = ALL_ROLES
    add_roles = ALL_ROLES
    change_roles = ALL_ROLES
    delete_roles = ()

    def scope_queryset(self, request, queryset):
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_site_staff(request.user):
            return queryset
        return self.scope_queryset(request, queryset)

    def _allowed(self, request, roles, obj):
        user = request.user
        if is_site_staff(user):
            return True
        if not roles or not is_member(user, *roles):
            return False
        if obj is None:
            return True
        return self.may_touch(request, obj, roles)

    def may_touch(self, request, obj, roles):
        """Object-level check; the default: the row is among those the user may see."""
        if obj.pk is None:
            return True
        cache = request.__dict__.setdefault("_casetracker_visible", {})
        key = (type(obj), obj.pk)
        if key not in cache:
            cache[key] = self.get_queryset(request).filter(pk=obj.pk).exists()
        return cache[key]

    def has_module_permission(self, request):
        return self._allowed(request, self.view_roles, None)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, self.view_roles, obj) or self.has_change_permission(
            request, obj
        )

    def has_add_permission(self, request, *args):
        # Inlines pass the parent object; a row may be added where the parent may be changed.
        return self._allowed(request, self.add_roles, None)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, self.change_roles, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, self.delete_roles, obj)


class ScopedModelAdmin(OrganizationScopedAdmin):
    """For top-level ModelAdmins: another group's row by URL answers 404, not a redirect that
    confirms it exists, and the history views are scoped like the change view."""

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("No such record."))

    def _get_visible_or_404(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(_("No such record."))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        # simple_history falls back to the last historical record of a row it cannot find in
        # get_queryset(); that would show another group's (or a deleted) record.
        self._get_visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._get_visible_or_404(request, object_id)
        if request.method == "POST":
            # Reverting would bypass the workflow and the concurrent-edit check.
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True
