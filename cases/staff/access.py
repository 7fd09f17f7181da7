"""Who may use the staff reports, and over which cases: the one access rule of the area.

Reviewers and coordinators report on their own organizations' cases; site staff on all. A
volunteer, or a signed-in user without such a role, gets 403 and no data.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from cases.models import Case
from orgs.access import REPORT_ROLES, is_site_staff, organizations_for


@dataclass
class ReportScope:
    user: object
    sees_all: bool
    organizations: object  # queryset of Organization

    def cases(self):
        cases = Case.objects.visible_to(self.user)
        if not self.sees_all:
            cases = cases.filter(organization__in=self.organizations)
        return cases


def report_scope(user):
    """The user's reporting scope, or None when they may not use the staff reports."""
    if not user.is_authenticated or not user.is_active:
        return None
    organizations = organizations_for(user, *REPORT_ROLES)
    if is_site_staff(user):
        return ReportScope(user=user, sees_all=True, organizations=organizations)
    if not organizations.exists():
        return None
    return ReportScope(user=user, sees_all=False, organizations=organizations)


def staff_report(*, file=False):
    """Decorate a staff view: sets `request.report_scope` or refuses.

    An anonymous visitor is sent to sign in for a page, but gets a bare 403 for a file URL, so
    that a download link never answers with a login page saved under a .csv name.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated and not file:
                return redirect_to_login(request.get_full_path())
            scope = report_scope(request.user)
            if scope is None:
                raise PermissionDenied
            request.report_scope = scope
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
