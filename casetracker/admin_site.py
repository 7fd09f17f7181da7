"""The admin site used everywhere: a password alone opens no admin page.

`SecureAdminConfig` replaces django.contrib.admin in INSTALLED_APPS so that `admin.site` (and
every `@admin.register`) is this site. A user who passed the password step but has not entered a
code from their authenticator app (or a recovery code) is sent to the second-factor page.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.shortcuts import redirect
from django.urls import reverse

from casetracker.security import second_factor_url


def is_verified(user):
    # auth.login() swaps request.user for a plain user without OTPMiddleware's helper.
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class ContextAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete rows with context: a ModelAdmin may define `autocomplete_queryset(request,
    queryset)` (to fetch what the rows show) and `autocomplete_label(request, obj, term)`."""

    def get_queryset(self):
        queryset = super().get_queryset()
        hook = getattr(self.model_admin, "autocomplete_queryset", None)
        return hook(self.request, queryset) if hook else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        hook = getattr(self.model_admin, "autocomplete_label", None)
        if hook:
            result["text"] = hook(self.request, obj, self.term)
        return result


class SecureAdminSite(AdminSite):
    site_header = "casetracker"
    site_title = "casetracker"

    def autocomplete_view(self, request):
        return ContextAutocompleteJsonView.as_view(admin_site=self)(request)

    def has_permission(self, request):
        return super().has_permission(request) and is_verified(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_active and user.is_staff and not is_verified(user):
            return redirect(
                second_factor_url(request, request.GET.get("next") or reverse("admin:index"))
            )
        response = super().login(request, extra_context)
        user = request.user
        if (
            request.method == "POST"
            and response.status_code == 302
            and user.is_authenticated
            and not is_verified(user)
        ):
            # The password was right: now the second factor, then where the user was going.
            return redirect(second_factor_url(request, response.url))
        return response


class SecureAdminConfig(AdminConfig):
    default_site = "casetracker.admin_site.SecureAdminSite"
