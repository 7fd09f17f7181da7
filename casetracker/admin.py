"""Security records in the admin. Lockouts (django-axes) are for site staff: they see who is
locked out and may lift a lockout by deleting the attempt; nobody edits the records. django-otp's
device admin is removed (see the end of this module)."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from orgs.access import SiteStaffReadOnlyAdmin, is_site_staff


class LockoutAdmin(SiteStaffReadOnlyAdmin, AccessAttemptAdmin):
    # Deleting an attempt is how a lockout is lifted before the cool-off ends.
    def has_delete_permission(self, request, obj=None):
        return is_site_staff(request.user)


class LoginLogAdmin(SiteStaffReadOnlyAdmin, AccessLogAdmin):
    pass


class FailedLoginLogAdmin(SiteStaffReadOnlyAdmin, AccessFailureLogAdmin):
    pass


for model, model_admin in [
    (AccessAttempt, LockoutAdmin),
    (AccessLog, LoginLogAdmin),
    (AccessFailureLog, FailedLoginLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)

# django-otp's own device admin shows a device's secret as a QR code: whoever sees it can make
# codes for that account. Devices are managed only through enrolment and the reset page
# (orgs.two_factor), never in the admin.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
